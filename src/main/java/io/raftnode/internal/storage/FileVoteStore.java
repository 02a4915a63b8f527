package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.VoteFormat.BODY_OFFSET;
import static io.raftnode.internal.storage.VoteFormat.CRC_OFFSET;
import static io.raftnode.internal.storage.VoteFormat.LENGTH_OFFSET;
import static io.raftnode.internal.storage.VoteFormat.MAGIC;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The vote in {@code vote.dat}, replaced whole on every save through a temporary file and an atomic rename, so a
 * crash leaves either the old vote or the new one. Hence a damaged vote.dat is never a torn write: it is corruption.
 */
public final class FileVoteStore implements VoteStore {
  private final Path dir;
  private final Path file;
  private final RecordSerializer<Vote> serializer;

  private FileVoteStore(Path dir, RecordSerializer<Vote> serializer) {
    this.dir = dir;
    this.file = dir.resolve(VoteFormat.FILE_NAME);
    this.serializer = serializer;
  }

  /** A store for {@code dir/vote.dat} (created on the first save), encoding the vote with RaftCodec. */
  public static FileVoteStore open(Path dir) throws IOException {
    return open(dir, RecordSerializer.raftCodecVotes());
  }

  static FileVoteStore open(Path dir, RecordSerializer<Vote> serializer) throws IOException {
    Files.createDirectories(dir);
    return new FileVoteStore(dir, serializer);
  }

  @Override
  public synchronized Vote load() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Vote.INITIAL;
    }
    if (bytes.length < BODY_OFFSET)
      throw Corruption.at(
          file, 0, "the file has " + bytes.length + " bytes, fewer than its " + BODY_OFFSET + "-byte header");
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length))
      throw Corruption.at(file, 0, "not a raftnode vote file (bad magic)");
    if (bytes[MAGIC.length] != VoteFormat.VERSION)
      throw Corruption.at(
          file,
          MAGIC.length,
          "unknown vote format version " + Byte.toUnsignedInt(bytes[MAGIC.length]) + " (this build reads version "
              + VoteFormat.VERSION + ")");
    ByteBuffer header = ByteBuffer.wrap(bytes);
    int length = header.getInt(LENGTH_OFFSET);
    if (length != bytes.length - BODY_OFFSET)
      throw Corruption.at(
          file,
          LENGTH_OFFSET,
          "the header says the vote has " + Integer.toUnsignedString(length) + " bytes but "
              + (bytes.length - BODY_OFFSET) + " follow");
    if (SegmentFormat.crc(bytes, BODY_OFFSET, length) != header.getInt(CRC_OFFSET))
      throw Corruption.at(file, CRC_OFFSET, "CRC32C mismatch");
    try {
      return serializer.decode(Arrays.copyOfRange(bytes, BODY_OFFSET, bytes.length));
    } catch (CodecException e) {
      throw Corruption.at(file, BODY_OFFSET, "the vote does not decode (" + e.getMessage() + ")");
    }
  }

  @Override
  public synchronized void save(Vote vote) throws IOException {
    if (vote == null) throw new IllegalArgumentException("vote must not be null");
    byte[] body = serializer.encode(vote);
    ByteBuffer contents = ByteBuffer.allocate(BODY_OFFSET + body.length);
    contents.put(MAGIC).put(VoteFormat.VERSION).putInt(body.length).putInt(SegmentFormat.crc(body, 0, body.length));
    contents.put(body).flip();
    Path temp = dir.resolve(VoteFormat.TEMP_NAME);
    try (FileChannel channel =
        FileChannel.open(
            temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      while (contents.hasRemaining()) channel.write(contents);
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    Directories.fsync(dir);
  }

  /** The path of vote.dat. */
  public Path file() {
    return file;
  }
}
