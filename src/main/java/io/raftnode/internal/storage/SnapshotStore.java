package io.raftnode.internal.storage;

import io.raftnode.internal.model.SnapshotMeta;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The snapshot files of a data dir, in {@code data_dir/snapshots/}. A snapshot is written to a {@code .tmp} file,
 * fsynced, renamed into place and the directory fsynced, so after a crash a snapshot file is either complete or
 * absent. The newest one and the one before it are kept (a transfer of the older may still be reading it). Every
 * method blocks: call them on a worker, never on the event loop.
 */
public final class SnapshotStore {
  private static final Logger LOG = Logger.getLogger(SnapshotStore.class.getName());
  static final String DIR = "snapshots";
  private static final String SUFFIX = ".snap";
  private static final String TMP = ".tmp";
  private static final AtomicLong TEMP_IDS = new AtomicLong();

  private final Path dir;

  private SnapshotStore(Path dir) {
    this.dir = dir;
  }

  /** Opens {@code dataDir/snapshots}, creating it, and deletes temp files a crash left behind. */
  public static SnapshotStore open(Path dataDir) throws IOException {
    Path dir = dataDir.resolve(DIR);
    Files.createDirectories(dir);
    try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*" + TMP)) {
      for (Path p : tmp) Files.deleteIfExists(p);
    }
    return new SnapshotStore(dir);
  }

  public Path dir() {
    return dir;
  }

  /** The newest complete snapshot, or null. A file that fails its header or trailer check is an error. */
  public StoredSnapshot latest() throws IOException {
    List<Path> files = sortedFiles();
    if (files.isEmpty()) return null;
    Path newest = files.get(files.size() - 1);
    try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.READ)) {
      return SnapshotFormat.read(newest, ch);
    }
  }

  /** Starts a new snapshot file for {@code meta}; write the data, then {@link Writer#finish} and {@link #install}. */
  public Writer create(SnapshotMeta meta) throws IOException {
    Path tmp = dir.resolve("incoming-" + ProcessHandle.current().pid() + "-" + TEMP_IDS.incrementAndGet() + TMP);
    return new Writer(meta, tmp);
  }

  /**
   * Makes a finished snapshot the newest one: renames it into place, fsyncs the directory and deletes all but the
   * newest two.
   */
  public StoredSnapshot install(Writer finished) throws IOException {
    if (!finished.finished) throw new IllegalStateException("snapshot not finished");
    Path target = dir.resolve(name(finished.meta));
    Files.move(finished.tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Directories.fsync(dir);
    prune();
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
      return SnapshotFormat.read(target, ch);
    }
  }

  private static String name(SnapshotMeta meta) {
    String id = meta.snapshotId().replaceAll("[^A-Za-z0-9_-]", "_");
    if (id.length() > 64) id = id.substring(0, 64);
    return String.format("snapshot-%020d-%s%s", meta.lastIndex(), id, SUFFIX);
  }

  /** Snapshot files oldest first: the zero-padded index in the name sorts them. */
  private List<Path> sortedFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "snapshot-*" + SUFFIX)) {
      for (Path p : ds) files.add(p);
    }
    files.sort(null);
    return files;
  }

  private void prune() throws IOException {
    List<Path> files = sortedFiles();
    for (int i = 0; i < files.size() - 2; i++) {
      Files.deleteIfExists(files.get(i));
      LOG.fine("deleted old snapshot " + files.get(i));
    }
  }

  /** A snapshot being written: header first, data through {@link #data()}, trailer at {@link #finish()}. */
  public final class Writer implements AutoCloseable {
    private final SnapshotMeta meta;
    private final Path tmp;
    private final UncachedFileOutput file;
    private final CRC32C crc = new CRC32C();
    private long length;
    private boolean finished;
    private boolean closed;

    private Writer(SnapshotMeta meta, Path tmp) throws IOException {
      this.meta = meta;
      this.tmp = tmp;
      this.file = UncachedFileOutput.create(tmp);
      file.write(SnapshotFormat.header(meta));
    }

    public SnapshotMeta meta() {
      return meta;
    }

    /** Appends data bytes. */
    public void write(byte[] b, int off, int len) throws IOException {
      file.write(b, off, len);
      crc.update(b, off, len);
      length += len;
    }

    /** The data written so far, as a stream; the writer buffers (a megabyte at a time), so the stream need not. */
    public OutputStream data() {
      Writer self = this;
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          self.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          self.write(b, off, len);
        }
      };
    }

    public long length() {
      return length;
    }

    /** CRC32C of the data written so far, unsigned. */
    public long crc() {
      return crc.getValue();
    }

    /** Writes the trailer and fsyncs; the file is complete but not yet the store's (see {@link #install}). */
    public void finish() throws IOException {
      file.write(SnapshotFormat.trailer(length, (int) crc.getValue()));
      file.finish();
      closed = true;
      finished = true;
    }

    /** Drops an unfinished or uninstalled file. */
    @Override
    public void close() {
      try {
        if (!closed) file.close();
        closed = true;
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        LOG.warning("could not delete " + tmp + ": " + e);
      }
    }
  }
}
