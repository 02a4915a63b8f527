package io.raftnode.internal.storage;

import java.nio.charset.StandardCharsets;

/** The byte layout of vote.dat; docs/STORAGE.md describes it for humans. All integers are big-endian. */
final class VoteFormat {
  static final String FILE_NAME = "vote.dat";
  static final String TEMP_NAME = "vote.dat.tmp";

  /** "RAFTVOT" followed by the format version byte. */
  static final byte[] MAGIC = "RAFTVOT".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  static final int LENGTH_OFFSET = MAGIC.length + 1;
  static final int CRC_OFFSET = LENGTH_OFFSET + 4;
  static final int BODY_OFFSET = CRC_OFFSET + 4;

  private VoteFormat() {}
}
