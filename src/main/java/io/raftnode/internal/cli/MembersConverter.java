package io.raftnode.internal.cli;

import io.raftnode.HostAndPort;
import io.raftnode.internal.model.Node;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code ID=PEER@CLIENT,...} (the config's "members" map written on one line: each member's id,
 * peer_address and client_address) into the members by id. Anything else is a usage error.
 */
public final class MembersConverter implements ITypeConverter<MembersConverter.Members> {
  /** The members by id, in id order. */
  public record Members(SortedMap<Long, Node> byId) {}

  private static final String FORM = "expected ID=PEER_HOST:PORT@CLIENT_HOST:PORT,... such as "
      + "1=127.0.0.1:7101@127.0.0.1:7201";

  @Override
  public Members convert(String text) {
    SortedMap<Long, Node> members = new TreeMap<>();
    for (String member : text.split(",", -1)) {
      int eq = member.indexOf('=');
      int at = member.indexOf('@');
      if (eq <= 0 || at < eq) throw new TypeConversionException("bad member \"" + member + "\": " + FORM);
      long id;
      try {
        id = Long.parseLong(member.substring(0, eq).trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("bad member id in \"" + member + "\": " + FORM);
      }
      if (id < 1) throw new TypeConversionException("bad member id " + id + ": ids are 1 or more");
      Node node = new Node(address(member, member.substring(eq + 1, at)), address(member, member.substring(at + 1)));
      if (members.put(id, node) != null) throw new TypeConversionException("member " + id + " is listed twice");
    }
    return new Members(Collections.unmodifiableSortedMap(members));
  }

  private static String address(String member, String text) {
    try {
      return HostAndPort.parse(text.trim()).toString();
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("bad address \"" + text + "\" in \"" + member + "\": " + e.getMessage());
    }
  }
}
