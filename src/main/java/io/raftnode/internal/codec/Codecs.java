package io.raftnode.internal.codec;

import java.io.IOException;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;

/**
 * The top-level encode and decode steps shared by every type: a reused per-thread packer; on decode, exactly one value
 * with nothing after it, and every failure turned into a {@link CodecException} that names where it happened.
 */
final class Codecs {
  /**
   * One packer per thread, reused for each encode: a fresh packer allocates an 8 KiB buffer, which on the
   * replication path (every entry, every request) cost more than the encoding itself. Writers never encode
   * recursively through this class, so a thread's packer is never in use twice at once.
   */
  private static final ThreadLocal<ReusablePacker> PACKER = ThreadLocal.withInitial(ReusablePacker::new);

  private Codecs() {}

  @FunctionalInterface
  interface Writer<T> {
    void write(MessagePacker p, T value) throws IOException;
  }

  @FunctionalInterface
  interface Reader<T> {
    T read(MsgpackReader r) throws CodecException, IOException;
  }

  static <T> byte[] encode(String type, T value, Writer<T> writer) {
    if (value == null) throw new IllegalArgumentException(type + " to encode must not be null");
    return PACKER.get().encode(p -> writer.write(p, value));
  }

  static <T> T decode(String type, byte[] bytes, Reader<T> reader) throws CodecException {
    if (bytes == null) throw new CodecException(type + ": input is null");
    if (bytes.length == 0) throw new CodecException(type + ": empty input");
    MsgpackReader r = new MsgpackReader(bytes, type);
    try {
      T value = reader.read(r);
      r.finish();
      return value;
    } catch (CodecException e) {
      throw e;
    } catch (MessageInsufficientBufferException e) {
      throw r.error("truncated input", e);
    } catch (IllegalArgumentException e) {
      // A model constructor refused the decoded values; the path is the struct being built.
      throw r.error("invalid value: " + e.getMessage(), e);
    } catch (MessagePackException | IOException e) {
      throw r.error("malformed msgpack: " + e.getMessage(), e);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // Bounded reads and the depth limit should make these unreachable; the decoder's contract still holds.
      throw r.error("cannot decode: " + e, e);
    }
  }
}
