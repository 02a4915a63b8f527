package io.raftnode.internal.node;

import io.raftnode.NoSnapshotException;
import io.raftnode.NodeConfig;
import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.SnapshotStore;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.internal.transport.PeerClient;
import io.raftnode.internal.transport.SnapshotInbox;
import io.raftnode.internal.transport.SnapshotSender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's side of snapshots, on its event loop: deciding when to take one and writing it (the state machine
 * captures, a worker writes), carrying out the core's snapshot actions (purge, send, install, reply) and receiving
 * Snapshot streams ({@link SnapshotInbox}). File work happens on {@link SnapshotFiles}' thread and on the storage
 * worker, never here.
 */
final class Snapshotting implements SnapshotInbox {
  private static final Logger LOG = Logger.getLogger(Snapshotting.class.getName());

  private final RaftCore core;
  private final NodeConfig.Snapshots settings;
  private final SnapshotFiles files;
  private final StorageWorker storage;
  private final StateMachineRunner stateMachine;
  private final PeerDirectory peers;
  private final boolean supported;
  private final PendingCalls calls;
  private Consumer<Event> step;
  private BiConsumer<String, Throwable> fail;
  private LongConsumer restored;
  private final AppliedBytes applied = new AppliedBytes();
  private final SnapshotTrigger trigger;
  private StoredSnapshot latest;
  private Future<Long> taking;
  private Throwable stopped;
  private final NodeMetrics metrics;
  private final LongWork work;

  Snapshotting(RaftCore core, NodeConfig.Snapshots settings, SnapshotFiles files, StorageWorker storage,
      StateMachineRunner stateMachine, PeerDirectory peers, boolean supported, StoredSnapshot latest,
      PendingCalls calls, NodeMetrics metrics, LongWork work) {
    this.core = core;
    this.work = work;
    this.metrics = metrics;
    this.settings = settings;
    this.trigger = new SnapshotTrigger(settings.thresholdEntries(), settings.thresholdBytes());
    this.files = files;
    this.storage = storage;
    this.stateMachine = stateMachine;
    this.peers = peers;
    this.supported = supported;
    this.latest = latest;
    this.calls = calls;
  }

  /**
   * Connects to the runtime: how to step the core, how to stop the node on a failed disk write, and whom to tell
   * that the state machine now holds a received snapshot (up to the index given).
   */
  void attach(Consumer<Event> step, BiConsumer<String, Throwable> fail, LongConsumer restored) {
    this.step = step;
    this.fail = fail;
    this.restored = restored;
  }

  long latestIndex() {
    return latest == null ? 0 : latest.meta().lastIndex();
  }

  /** The size of the newest snapshot's data, 0 with none. */
  long latestBytes() {
    return latest == null ? 0 : latest.dataLength();
  }

  /** Notes the payload bytes of an entry just applied, for the byte threshold and the tail kept. */
  void applied(long index, long payloadBytes) {
    applied.applied(index, payloadBytes);
  }

  /** Takes a snapshot once enough entries, or enough payload bytes, were applied since the last one ({@link SnapshotTrigger}). */
  void afterApply(long appliedIndex) {
    if (!supported || taking != null) return;
    if (trigger.due(appliedIndex - latestIndex(), applied.bytesAfter(latestIndex()), latestBytes())) take();
  }

  /**
   * Takes a snapshot of everything applied so far (AdminService.TakeSnapshot, or the threshold); completes with
   * the index it covers. A snapshot already being taken is shared.
   */
  Future<Long> take() {
    if (!supported) return Future.failedFuture(new UnsupportedOperationException("the state machine takes no snapshots"));
    if (taking != null) return taking;
    long start = System.nanoTime();
    Future<Long> started = stateMachine.capture().compose(capture -> {
      if (capture == null || capture.lastApplied().index() <= latestIndex()) {
        if (capture != null) capture.writer().release();
        return Future.succeededFuture(latestIndex());
      }
      SnapshotMeta meta = new SnapshotMeta(capture.lastApplied(), capture.membership(), capture.lastApplied().term()
          + "-" + core.selfId() + "-" + capture.lastApplied().index() + "-" + System.currentTimeMillis());
      return files.run(() -> write(files.store(), meta, capture)).map(stored -> {
        metrics.snapshotSave.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        metrics.snapshotsTaken.increment();
        return taken(stored);
      });
    });
    taking = started;
    started.onComplete(x -> taking = null).onFailure(e -> LOG.log(Level.WARNING, "snapshot failed", e));
    return started;
  }

  /**
   * A snapshot covering at least {@code index}, which is applied: a snapshot being taken now may have captured
   * less, so once it is done another one is taken.
   */
  Future<Long> takeCovering(long index) {
    return take().compose(covered -> covered >= index ? Future.succeededFuture(covered) : take());
  }

  /** The newest snapshot, opened for reading so that pruning cannot take it away while a backup reads it. */
  Future<SnapshotDownload> openLatest() {
    StoredSnapshot snapshot = latest;
    if (snapshot == null) return Future.failedFuture(new NoSnapshotException(core.selfId()));
    return files.open(snapshot).map(chunks -> new SnapshotDownload(snapshot.meta(), chunks));
  }

  /** On the files thread: stream the captured state into a new snapshot file and make it the newest. */
  private static StoredSnapshot write(SnapshotStore store, SnapshotMeta meta, StateMachineRunner.Capture capture)
      throws Exception {
    try (SnapshotStore.Writer writer = store.create(meta)) {
      OutputStream out = writer.data();
      capture.writer().writeTo(out);
      out.flush();
      writer.finish();
      return store.install(writer);
    } finally {
      capture.writer().release();
    }
  }

  private long taken(StoredSnapshot stored) {
    if (stored.meta().lastIndex() > latestIndex()) latest = stored;
    LOG.info("node " + core.selfId() + " took snapshot " + stored.meta().snapshotId() + " ("
        + stored.dataLength() + " bytes)");
    long last = stored.meta().lastIndex();
    long keep = applied.keepTail(last, settings.keepTailEntries(), settings.keepTailBytes());
    applied.purgedUpTo(last - keep);
    step.accept(new Event.SnapshotTaken(stored.meta(), keep));
    return stored.meta().lastIndex();
  }

  void purge(Action.PurgeLog purge) {
    storage.purge(purge.upTo()).onFailure(e -> fail.accept("could not purge the log", e));
  }

  /** Answers the Snapshot stream; a file the core did not install (a stale leader, nothing new) is discarded. */
  void reply(Action.ReplySnapshot reply) {
    calls.complete(reply.token(), reply.response());
  }

  void send(Action.SendSnapshot send) {
    StoredSnapshot snapshot = latest;
    PeerClient peer = peers.client(send.to());
    if (snapshot == null || peer == null) {
      step.accept(new Event.SnapshotSent(send.to(), send.vote(), send.meta(), null));
      return;
    }
    LOG.info("node " + core.selfId() + " sends snapshot " + snapshot.meta().snapshotId() + " to node " + send.to());
    WorkProgress progress = work.start(WorkProgress.Kind.SNAPSHOT_SEND, send.to(), snapshot.dataLength());
    peer.sendSnapshot(send.vote(), snapshot.meta(), counted(files.chunks(snapshot), progress), settings.chunkBytes())
        .onComplete((response, err) -> {
          work.finish(progress);
          if (err != null) LOG.log(Level.INFO, "snapshot to node " + send.to() + " failed: " + err.getMessage());
          else metrics.snapshotsSent.increment();
          step.accept(new Event.SnapshotSent(send.to(), send.vote(), snapshot.meta(), err == null ? response : null));
        });
  }

  /** The chunks as they are read for sending, counted in the transfer's progress (reads complete on this loop). */
  private static SnapshotSender.ChunkSource counted(SnapshotSender.ChunkSource chunks, WorkProgress progress) {
    return new SnapshotSender.ChunkSource() {
      @Override
      public long size() {
        return chunks.size();
      }

      @Override
      public long crc() {
        return chunks.crc();
      }

      @Override
      public Future<byte[]> read(long offset, int length) {
        return chunks.read(offset, length).onSuccess(bytes -> progress.advance(offset + bytes.length));
      }

      @Override
      public void close() {
        chunks.close();
      }
    };
  }

  void restore(Action.RestoreSnapshot restore) {
    SnapshotFiles.Received file = calls.claim(restore.token(), SnapshotFiles.Received.class);
    if (file == null) {
      fail.accept("a snapshot to install has no file", new IllegalStateException("token " + restore.token()));
      return;
    }
    long start = System.nanoTime();
    Future<StoredSnapshot> installed = storage.installSnapshot(files.store(), file.writer, restore.truncateFrom());
    stateMachine.restore(installed).onSuccess(v -> {
      metrics.snapshotInstall.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      metrics.snapshotsInstalled.increment();
      restored.accept(restore.meta().lastIndex());
    });
    installed.onSuccess(stored -> {
      latest = stored;
      applied.reset();
      LOG.info("node " + core.selfId() + " installed snapshot " + stored.meta().snapshotId());
    }).onFailure(e -> fail.accept("could not install a snapshot", e));
  }

  @Override
  public Vote currentVote() {
    return core.vote();
  }

  @Override
  public Future<SnapshotSink> openSink(SnapshotMessage.Meta meta) {
    return files.sink(meta.meta()).map(received -> {
      WorkProgress progress = work.start(WorkProgress.Kind.SNAPSHOT_INSTALL, meta.vote().leaderId().nodeId(), meta.size());
      received.track(progress::advance, () -> work.finish(progress));
      return (SnapshotSink) received;
    });
  }

  @Override
  public Future<SnapshotResponse> onSnapshot(SnapshotMessage.Meta meta, SnapshotSink sink) {
    if (stopped != null) {
      sink.discard();
      return Future.failedFuture(stopped);
    }
    Promise<SnapshotResponse> reply = Promise.promise();
    long token = calls.add(reply, (SnapshotFiles.Received) sink);
    step.accept(new Event.SnapshotReceived(token, meta.vote(), meta.meta()));
    return reply.future();
  }

  void stop(Throwable cause) {
    stopped = cause;
    files.close();
  }
}
