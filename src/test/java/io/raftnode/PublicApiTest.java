package io.raftnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API (the embedding API in io.raftnode and io.raftnode.statemachine, the Java client in
 * io.raftnode.client) names no type of io.raftnode.internal in what an application sees: the supertypes, public and
 * protected members of its public types. Internal packages may change in any release; a public signature naming one
 * would make that change break applications.
 */
class PublicApiTest {
  private static final List<String> PUBLIC_PACKAGES =
      List.of("io.raftnode", "io.raftnode.statemachine", "io.raftnode.client");

  @Test
  void publicSignaturesNameNoInternalType() throws Exception {
    List<Class<?>> types = publicTypes();
    assertTrue(types.contains(RaftNodeVerticle.class) && types.contains(RaftNode.Registration.class), "" + types);
    TreeSet<String> leaks = new TreeSet<>();
    for (Class<?> type : types) {
      List<Type> named = new ArrayList<>();
      if (type.getGenericSuperclass() != null) named.add(type.getGenericSuperclass());
      named.addAll(List.of(type.getGenericInterfaces()));
      for (Field f : type.getDeclaredFields()) {
        if (visible(f.getModifiers())) named.add(f.getGenericType());
      }
      List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
      for (Method m : type.getDeclaredMethods()) {
        if (!m.isSynthetic()) members.add(m);
      }
      for (Executable e : members) {
        if (!visible(e.getModifiers()) && !type.isInterface()) continue;
        if (type.isInterface() && Modifier.isPrivate(e.getModifiers())) continue;
        named.addAll(List.of(e.getGenericParameterTypes()));
        named.addAll(List.of(e.getGenericExceptionTypes()));
        if (e instanceof Method m) named.add(m.getGenericReturnType());
      }
      for (Type t : named) {
        for (Class<?> c : classesIn(t)) {
          if (c.getName().startsWith("io.raftnode.internal.")) leaks.add(type.getName() + " names " + c.getName());
        }
      }
    }
    assertEquals(List.of(), List.copyOf(leaks), "public signatures name internal types");
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** The public top-level and nested types of the public packages, read from the compiled classes. */
  private static List<Class<?>> publicTypes() throws IOException, ClassNotFoundException {
    List<Class<?>> found = new ArrayList<>();
    for (String pkg : PUBLIC_PACKAGES) {
      Path dir = Path.of("target/classes", pkg.replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
          String simple = f.getFileName().toString().replace(".class", "");
          Class<?> c = Class.forName(pkg + "." + simple, false, PublicApiTest.class.getClassLoader());
          if (isPublicAllTheWay(c)) found.add(c);
        }
      }
    }
    return found;
  }

  private static boolean isPublicAllTheWay(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) return false;
    }
    return true;
  }

  private static List<Class<?>> classesIn(Type t) {
    List<Class<?>> out = new ArrayList<>();
    if (t instanceof Class<?> c) {
      while (c.isArray()) c = c.getComponentType();
      out.add(c);
    } else if (t instanceof ParameterizedType p) {
      out.addAll(classesIn(p.getRawType()));
      for (Type a : p.getActualTypeArguments()) out.addAll(classesIn(a));
    } else if (t instanceof GenericArrayType g) {
      out.addAll(classesIn(g.getGenericComponentType()));
    } else if (t instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) out.addAll(classesIn(b));
      for (Type b : w.getLowerBounds()) out.addAll(classesIn(b));
    }
    // A type variable (T) names no class itself.
    return out;
  }
}
