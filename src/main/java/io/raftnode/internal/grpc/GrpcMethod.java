package io.raftnode.internal.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.vertx.grpc.common.ServiceMethod;

/**
 * One method this node serves itself: its HTTP/2 {@code :path} and how its request messages are parsed. Responses
 * are any protobuf message.
 *
 * @param service the fully qualified service name, e.g. {@code raftnode.v1.KvService}
 * @param name the method name, e.g. {@code Put}
 */
public record GrpcMethod<Req extends MessageLite, Resp extends MessageLite>(String service, String name,
    Parser<Req> parser) {

  /** The method a generated {@code ServiceMethod} constant names, its requests read by {@code parser}. */
  public static <Req extends MessageLite, Resp extends MessageLite> GrpcMethod<Req, Resp> of(
      ServiceMethod<Req, Resp> method, Parser<Req> parser) {
    return new GrpcMethod<>(method.serviceName().fullyQualifiedName(), method.methodName(), parser);
  }

  /** The request's {@code :path}. */
  public String path() {
    return "/" + service + "/" + name;
  }

  /**
   * Parses a request from its own array. Bytes fields share the array instead of copying it: nobody writes to a
   * message's array once it was cut out of the body.
   */
  Req parse(byte[] message) throws InvalidProtocolBufferException {
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(message).newCodedInput();
    in.enableAliasing(true);
    return parser.parseFrom(in);
  }
}
