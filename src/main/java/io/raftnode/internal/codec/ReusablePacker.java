package io.raftnode.internal.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.core.buffer.MessageBufferOutput;

/**
 * A msgpack packer for one thread that encodes into memory it keeps between uses, so an encode allocates only the
 * array it returns. (The library's buffer packer allocates fresh internal buffers as it goes, which on the write
 * path, a few encodes per client write, was a large share of all allocation.) Not thread-safe and not reentrant:
 * keep one per thread and per nesting level, e.g. in a {@link ThreadLocal}.
 */
public final class ReusablePacker {
  /** What an encode writes. */
  @FunctionalInterface
  public interface Body {
    void write(MessagePacker p) throws IOException;
  }

  private final GrowableOutput out = new GrowableOutput();
  private final MessagePacker packer = MessagePack.newDefaultPacker(out);

  /** Runs {@code body} on the packer and returns exactly the bytes it wrote. */
  public byte[] encode(Body body) {
    // Both cleared: an encode that failed part-way (a writer refusing a value) leaves bytes behind.
    packer.clear();
    out.reset();
    try {
      body.write(packer);
      packer.flush();
    } catch (IOException e) {
      // Only memory is written; an IOException here is a bug, not an input problem.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The packer's output: its own buffer is reused, and what it flushes is appended to a growable array. */
  private static final class GrowableOutput implements MessageBufferOutput {
    private final MessageBuffer buffer = MessageBuffer.allocate(8192);
    /** The buffer the packer is writing into: {@code buffer}, or a bigger one it asked for. */
    private MessageBuffer current = buffer;
    private byte[] bytes = new byte[8192];
    private int size;

    void reset() {
      size = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
      if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }

    @Override
    public MessageBuffer next(int minimumSize) {
      current = minimumSize <= buffer.size() ? buffer : MessageBuffer.allocate(minimumSize);
      return current;
    }

    @Override
    public void writeBuffer(int length) {
      ensure(length);
      current.getBytes(0, bytes, size, length);
      size += length;
    }

    @Override
    public void write(byte[] src, int offset, int length) {
      ensure(length);
      System.arraycopy(src, offset, bytes, size, length);
      size += length;
    }

    @Override
    public void add(byte[] src, int offset, int length) {
      write(src, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
