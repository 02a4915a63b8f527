package io.raftnode.node;

import io.raftnode.core.Action;
import io.raftnode.core.Event;
import io.raftnode.core.RaftCore;
import io.raftnode.model.SnapshotMessage;
import io.raftnode.model.SnapshotMeta;
import io.raftnode.model.SnapshotResponse;
import io.raftnode.model.Vote;
import io.raftnode.storage.SnapshotStore;
import io.raftnode.storage.StoredSnapshot;
import io.raftnode.transport.PeerClient;
import io.raftnode.transport.SnapshotInbox;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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
  private Consumer<Event> step;
  private BiConsumer<String, Throwable> fail;
  private StoredSnapshot latest;
  private Future<Long> taking;
  private Throwable stopped;
  private long nextToken = 1;
  private final Map<Long, Promise<SnapshotResponse>> replies = new HashMap<>();
  private final Map<Long, SnapshotFiles.Received> received = new HashMap<>();

  Snapshotting(RaftCore core, NodeConfig.Snapshots settings, SnapshotFiles files, StorageWorker storage,
      StateMachineRunner stateMachine, PeerDirectory peers, boolean supported, StoredSnapshot latest) {
    this.core = core;
    this.settings = settings;
    this.files = files;
    this.storage = storage;
    this.stateMachine = stateMachine;
    this.peers = peers;
    this.supported = supported;
    this.latest = latest;
  }

  /** Connects to the runtime: how to step the core and how to stop the node on a failed disk write. */
  void attach(Consumer<Event> step, BiConsumer<String, Throwable> fail) {
    this.step = step;
    this.fail = fail;
  }

  long latestIndex() {
    return latest == null ? 0 : latest.meta().lastIndex();
  }

  /** Takes a snapshot once enough entries were applied since the last one. */
  void afterApply(long appliedIndex) {
    if (supported && taking == null && appliedIndex - latestIndex() >= settings.thresholdEntries()) take();
  }

  /**
   * Takes a snapshot of everything applied so far (AdminService.TakeSnapshot, or the threshold); completes with
   * the index it covers. A snapshot already being taken is shared.
   */
  Future<Long> take() {
    if (!supported) return Future.failedFuture(new UnsupportedOperationException("the state machine takes no snapshots"));
    if (taking != null) return taking;
    Future<Long> started = stateMachine.capture().compose(capture -> {
      if (capture == null || capture.lastApplied().index() <= latestIndex()) {
        if (capture != null) capture.writer().release();
        return Future.succeededFuture(latestIndex());
      }
      SnapshotMeta meta = new SnapshotMeta(capture.lastApplied(), capture.membership(), capture.lastApplied().term()
          + "-" + core.selfId() + "-" + capture.lastApplied().index() + "-" + System.currentTimeMillis());
      return files.run(() -> write(files.store(), meta, capture)).map(this::taken);
    });
    taking = started;
    started.onComplete(x -> taking = null).onFailure(e -> LOG.log(Level.WARNING, "snapshot failed", e));
    return started;
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
    step.accept(new Event.SnapshotTaken(stored.meta(), settings.keepTailEntries()));
    return stored.meta().lastIndex();
  }

  /** Carries out a snapshot action; false for any other action. */
  boolean execute(Action action) {
    if (action instanceof Action.PurgeLog purge) {
      storage.purge(purge.upTo()).onFailure(e -> fail.accept("could not purge the log", e));
    } else if (action instanceof Action.SendSnapshot send) {
      send(send);
    } else if (action instanceof Action.RestoreSnapshot restore) {
      restore(restore);
    } else if (action instanceof Action.ReplySnapshot reply) {
      Promise<SnapshotResponse> promise = replies.remove(reply.token());
      if (promise != null) promise.tryComplete(reply.response());
      SnapshotFiles.Received unused = received.remove(reply.token());
      if (unused != null) unused.discard(); // not installed: a stale leader, or nothing new in it
    } else {
      return false;
    }
    return true;
  }

  private void send(Action.SendSnapshot send) {
    StoredSnapshot snapshot = latest;
    PeerClient peer = peers.client(core.membership(), send.to());
    if (snapshot == null || peer == null) {
      step.accept(new Event.SnapshotSent(send.to(), send.vote(), send.meta(), null));
      return;
    }
    LOG.info("node " + core.selfId() + " sends snapshot " + snapshot.meta().snapshotId() + " to node " + send.to());
    peer.sendSnapshot(send.vote(), snapshot.meta(), files.chunks(snapshot), settings.chunkBytes())
        .onComplete((response, err) -> {
          if (err != null) LOG.log(Level.INFO, "snapshot to node " + send.to() + " failed: " + err.getMessage());
          step.accept(new Event.SnapshotSent(send.to(), send.vote(), snapshot.meta(), err == null ? response : null));
        });
  }

  private void restore(Action.RestoreSnapshot restore) {
    SnapshotFiles.Received file = received.remove(restore.token());
    if (file == null) {
      fail.accept("a snapshot to install has no file", new IllegalStateException("token " + restore.token()));
      return;
    }
    Future<StoredSnapshot> installed = storage.installSnapshot(files.store(), file.writer, restore.truncateFrom());
    stateMachine.restore(installed);
    installed.onSuccess(stored -> {
      latest = stored;
      LOG.info("node " + core.selfId() + " installed snapshot " + stored.meta().snapshotId());
    }).onFailure(e -> fail.accept("could not install a snapshot", e));
  }

  @Override
  public Vote currentVote() {
    return core.vote();
  }

  @Override
  public Future<SnapshotSink> openSink(SnapshotMessage.Meta meta) {
    return files.sink(meta.meta()).map(r -> (SnapshotSink) r);
  }

  @Override
  public Future<SnapshotResponse> onSnapshot(SnapshotMessage.Meta meta, SnapshotSink sink) {
    if (stopped != null) {
      sink.discard();
      return Future.failedFuture(stopped);
    }
    long token = nextToken++;
    Promise<SnapshotResponse> reply = Promise.promise();
    replies.put(token, reply);
    received.put(token, (SnapshotFiles.Received) sink);
    step.accept(new Event.SnapshotReceived(token, meta.vote(), meta.meta()));
    return reply.future();
  }

  void stop(Throwable cause) {
    stopped = cause;
    replies.values().forEach(p -> p.tryFail(cause));
    replies.clear();
    received.values().forEach(SnapshotFiles.Received::discard);
    received.clear();
    files.close();
  }
}
