package io.raftnode.internal.codec;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.StreamAppendResult;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The golden vectors: a value and its exact encoding. docs/PROTOCOL.md lists the same hex strings; the tests keep
 * the two in step.
 */
final class GoldenVectors {
  private GoldenVectors() {}

  record Vector(String type, Object value, String hex) {}

  static final LogId LOG_3_1_42 = LogId.of(3, 1, 42);
  static final Vote VOTE_3_1 = Vote.of(3, 1, true);
  static final Membership SINGLE = new Membership(
      List.of(Set.of(1L)), new TreeMap<>(Map.of(1L, new Node("10.0.0.1:7001", "10.0.0.1:8001"))));
  static final Membership JOINT = new Membership(
      List.of(Set.of(1L, 2L, 3L), Set.of(3L, 4L)),
      new TreeMap<>(Map.of(
          1L, new Node("n1:7001", "n1:8001"),
          2L, new Node("n2:7001", "n2:8001"),
          3L, new Node("n3:7001", "n3:8001"),
          4L, new Node("n4:7001", "n4:8001"),
          5L, new Node("n5:7001", ""))));

  /** Removing voter 3: the joint config that names it leaving, and the uniform one after (3 and 7 removed). */
  static final Membership JOINT_REMOVING = new Membership(
      List.of(Set.of(1L, 2L, 3L), Set.of(1L, 2L)),
      new TreeMap<>(Map.of(
          1L, new Node("n1:7001", "n1:8001"),
          2L, new Node("n2:7001", "n2:8001"),
          3L, new Node("n3:7001", "n3:8001"))),
      new java.util.TreeSet<>(Set.of(3L)));
  static final Membership AFTER_REMOVALS = new Membership(
      List.of(Set.of(1L, 2L)),
      new TreeMap<>(Map.of(1L, new Node("n1:7001", "n1:8001"), 2L, new Node("n2:7001", "n2:8001"))),
      new java.util.TreeSet<>(Set.of(3L, 7L)));

  static final SnapshotMeta SNAPSHOT_META =
      new SnapshotMeta(LOG_3_1_42, new StoredMembership(LogId.of(1, 1, 3), SINGLE), "3-1-42-1");
  static final SnapshotMeta EMPTY_SNAPSHOT_META =
      new SnapshotMeta(null, new StoredMembership(null, Membership.empty()), "empty");

  static final List<Vector> ALL = List.of(
      new Vector("LeaderId", new LeaderId(3, 1),
          "82a47465726d03a76e6f64655f696401"),
      new Vector("LeaderId", new LeaderId(4294967296L, 300),
          "82a47465726dcf0000000100000000a76e6f64655f6964cd012c"),
      new Vector("Vote", VOTE_3_1,
          "82a96c65616465725f696482a47465726d03a76e6f64655f696401a9636f6d6d6974746564c3"),
      new Vector("Vote", Vote.of(5, 0, false),
          "82a96c65616465725f696482a47465726d05a76e6f64655f696400a9636f6d6d6974746564c2"),
      new Vector("LogId", LOG_3_1_42,
          "82a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782a"),
      new Vector("LogId", LogId.of(70000, 2, Long.MAX_VALUE),
          "82a96c65616465725f696482a47465726dce00011170a76e6f64655f696402a5696e646578cf7fffffffffffffff"),
      new Vector("Entry", new Entry(LogId.of(1, 1, 1), EntryPayload.Blank.INSTANCE),
          "82a66c6f675f696482a96c65616465725f696482a47465726d01a76e6f64655f696401a5696e64657801a77061796c6f6164a5426c616e6b"),
      new Vector("Entry", new Entry(LogId.of(1, 1, 2), new EntryPayload.Normal(new byte[] {1, 2, 3})),
          "82a66c6f675f696482a96c65616465725f696482a47465726d01a76e6f64655f696401a5696e64657802a77061796c6f616481a64e6f726d616cc403010203"),
      new Vector("Entry", new Entry(LogId.of(1, 1, 3), new EntryPayload.MembershipChange(SINGLE)),
          "82a66c6f675f696482a96c65616465725f696482a47465726d01a76e6f64655f696401a5696e64657803a77061796c6f616481aa4d656d6265727368697082a7636f6e66696773919101a56e6f646573810182ac706565725f61646472657373ad31302e302e302e313a37303031ae636c69656e745f61646472657373ad31302e302e302e313a38303031"),
      new Vector("Membership", JOINT,
          "82a7636f6e666967739293010203920304a56e6f646573850182ac706565725f61646472657373a76e313a37303031ae636c69656e745f61646472657373a76e313a383030310282ac706565725f61646472657373a76e323a37303031ae636c69656e745f61646472657373a76e323a383030310382ac706565725f61646472657373a76e333a37303031ae636c69656e745f61646472657373a76e333a383030310482ac706565725f61646472657373a76e343a37303031ae636c69656e745f61646472657373a76e343a383030310582ac706565725f61646472657373a76e353a37303031ae636c69656e745f61646472657373a0"),
      new Vector("Membership", Membership.empty(),
          "82a7636f6e6669677390a56e6f64657380"),
      new Vector("Membership", JOINT_REMOVING,
          "83a7636f6e666967739293010203920102a56e6f646573830182ac706565725f61646472657373a76e313a37303031ae636c69656e745f61646472657373a76e313a383030310282ac706565725f61646472657373a76e323a37303031ae636c69656e745f61646472657373a76e323a383030310382ac706565725f61646472657373a76e333a37303031ae636c69656e745f61646472657373a76e333a38303031a772656d6f7665649103"),
      new Vector("Membership", AFTER_REMOVALS,
          "83a7636f6e6669677391920102a56e6f646573820182ac706565725f61646472657373a76e313a37303031ae636c69656e745f61646472657373a76e313a383030310282ac706565725f61646472657373a76e323a37303031ae636c69656e745f61646472657373a76e323a38303031a772656d6f766564920307"),
      new Vector("VoteRequest", new VoteRequest(Vote.of(4, 2, false), LOG_3_1_42, false),
          "83a4766f746582a96c65616465725f696482a47465726d04a76e6f64655f696402a9636f6d6d6974746564c2ab6c6173745f6c6f675f696482a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782ab36c6561646572736869705f7472616e73666572c2"),
      new Vector("VoteRequest", new VoteRequest(Vote.of(1, 3, false), null, true),
          "83a4766f746582a96c65616465725f696482a47465726d01a76e6f64655f696403a9636f6d6d6974746564c2ab6c6173745f6c6f675f6964c0b36c6561646572736869705f7472616e73666572c3"),
      new Vector("VoteRequest", new VoteRequest(Vote.of(4, 2, false), LOG_3_1_42, false, true),
          "84a4766f746582a96c65616465725f696482a47465726d04a76e6f64655f696402a9636f6d6d6974746564c2ab6c6173745f6c6f675f696482a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782ab36c6561646572736869705f7472616e73666572c2a87072655f766f7465c3"),
      new Vector("VoteResponse", new VoteResponse(Vote.of(4, 2, false), true, LOG_3_1_42),
          "83a4766f746582a96c65616465725f696482a47465726d04a76e6f64655f696402a9636f6d6d6974746564c2ac766f74655f6772616e746564c3ab6c6173745f6c6f675f696482a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782a"),
      new Vector("VoteResponse", new VoteResponse(Vote.of(5, 3, true), false, null),
          "83a4766f746582a96c65616465725f696482a47465726d05a76e6f64655f696403a9636f6d6d6974746564c3ac766f74655f6772616e746564c2ab6c6173745f6c6f675f6964c0"),
      new Vector("AppendEntriesRequest", new AppendEntriesRequest(VOTE_3_1, null, List.of(), null),
          "84a4766f746582a96c65616465725f696482a47465726d03a76e6f64655f696401a9636f6d6d6974746564c3ab707265765f6c6f675f6964c0a7656e747269657390ad6c65616465725f636f6d6d6974c0"),
      new Vector("AppendEntriesRequest", new AppendEntriesRequest(VOTE_3_1, LogId.of(2, 2, 41),
          List.of(new Entry(LOG_3_1_42, EntryPayload.Blank.INSTANCE),
              new Entry(LogId.of(3, 1, 43), new EntryPayload.Normal(new byte[] {(byte) 0xca, (byte) 0xfe}))),
          LogId.of(2, 2, 40)),
          "84a4766f746582a96c65616465725f696482a47465726d03a76e6f64655f696401a9636f6d6d6974746564c3ab707265765f6c6f675f696482a96c65616465725f696482a47465726d02a76e6f64655f696402a5696e64657829a7656e74726965739282a66c6f675f696482a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782aa77061796c6f6164a5426c616e6b82a66c6f675f696482a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782ba77061796c6f616481a64e6f726d616cc402cafead6c65616465725f636f6d6d697482a96c65616465725f696482a47465726d02a76e6f64655f696402a5696e64657828"),
      new Vector("AppendEntriesResponse", AppendEntriesResponse.Success.INSTANCE,
          "a753756363657373"),
      new Vector("AppendEntriesResponse", new AppendEntriesResponse.PartialSuccess(LOG_3_1_42),
          "81ae5061727469616c5375636365737382a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782a"),
      new Vector("AppendEntriesResponse", new AppendEntriesResponse.PartialSuccess(null),
          "81ae5061727469616c53756363657373c0"),
      new Vector("AppendEntriesResponse", new AppendEntriesResponse.Conflict(null),
          "a8436f6e666c696374"),
      new Vector("AppendEntriesResponse", new AppendEntriesResponse.Conflict(LogId.of(2, 2, 40)),
          "81a8436f6e666c69637482a96c65616465725f696482a47465726d02a76e6f64655f696402a5696e64657828"),
      new Vector("AppendEntriesResponse", new AppendEntriesResponse.HigherVote(Vote.of(6, 3, false)),
          "81aa486967686572566f746582a96c65616465725f696482a47465726d06a76e6f64655f696403a9636f6d6d6974746564c2"),
      new Vector("StreamAppendResult", new StreamAppendResult.Ok(LOG_3_1_42),
          "81a24f6b82a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782a"),
      new Vector("StreamAppendResult", new StreamAppendResult.Ok(null), "81a24f6bc0"),
      new Vector("StreamAppendResult", new StreamAppendResult.Conflict(LogId.of(2, 2, 40)),
          "81a345727281a8436f6e666c69637482a96c65616465725f696482a47465726d02a76e6f64655f696402a5696e64657828"),
      new Vector("StreamAppendResult", new StreamAppendResult.HigherVote(Vote.of(6, 3, false)),
          "81a345727281aa486967686572566f746582a96c65616465725f696482a47465726d06a76e6f64655f696403a9636f6d6d6974746564c2"),
      new Vector("TransferLeaderRequest", new TransferLeaderRequest(VOTE_3_1, 2, LOG_3_1_42),
          "83ab66726f6d5f6c656164657282a96c65616465725f696482a47465726d03a76e6f64655f696401a9636f6d6d6974746564c3aa746f5f6e6f64655f696402ab6c6173745f6c6f675f696482a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782a"),
      new Vector("TransferLeaderRequest", new TransferLeaderRequest(Vote.of(70000, 300, true), 5, null),
          "83ab66726f6d5f6c656164657282a96c65616465725f696482a47465726dce00011170a76e6f64655f6964cd012ca9636f6d6d6974746564c3aa746f5f6e6f64655f696405ab6c6173745f6c6f675f6964c0"),
      new Vector("ReadIndexRequest", new ReadIndexRequest(3),
          "81a466726f6d03"),
      new Vector("ReadIndexResponse", new ReadIndexResponse(42, VOTE_3_1),
          "82aa726561645f696e6465782aab6c65616465725f766f746582a96c65616465725f696482a47465726d03a76e6f64655f696401a9636f6d6d6974746564c3"),
      new Vector("ReadIndexResponse", new ReadIndexResponse(4294967296L, Vote.of(7, 2, true)),
          "82aa726561645f696e646578cf0000000100000000ab6c65616465725f766f746582a96c65616465725f696482a47465726d07a76e6f64655f696402a9636f6d6d6974746564c3"),
      new Vector("SnapshotMeta", SNAPSHOT_META,
          "83ab6c6173745f6c6f675f696482a96c65616465725f696482a47465726d03a76e6f64655f696401a5696e6465782aaf6c6173745f6d656d6265727368697082a66c6f675f696482a96c65616465725f696482a47465726d01a76e6f64655f696401a5696e64657803aa6d656d6265727368697082a7636f6e66696773919101a56e6f646573810182ac706565725f61646472657373ad31302e302e302e313a37303031ae636c69656e745f61646472657373ad31302e302e302e313a38303031ab736e617073686f745f6964a8332d312d34322d31"),
      new Vector("SnapshotMeta", EMPTY_SNAPSHOT_META,
          "83ab6c6173745f6c6f675f6964c0af6c6173745f6d656d6265727368697082a66c6f675f6964c0aa6d656d6265727368697082a7636f6e6669677390a56e6f64657380ab736e617073686f745f6964a5656d707479"),
      new Vector("SnapshotMessage", new SnapshotMessage.Meta(VOTE_3_1, EMPTY_SNAPSHOT_META, 1048576),
          "81a44d65746183a4766f746582a96c65616465725f696482a47465726d03a76e6f64655f696401a9636f6d6d6974746564c3a46d65746183ab6c6173745f6c6f675f6964c0af6c6173745f6d656d6265727368697082a66c6f675f6964c0aa6d656d6265727368697082a7636f6e6669677390a56e6f64657380ab736e617073686f745f6964a5656d707479a473697a65ce00100000"),
      new Vector("SnapshotMessage", new SnapshotMessage.Chunk(65536, new byte[] {1, 2, 3}),
          "81a54368756e6b82a66f6666736574ce00010000a464617461c403010203"),
      new Vector("SnapshotMessage", new SnapshotMessage.Done(0xe3069283L),
          "81a4446f6e6581a8636865636b73756dcee3069283"),
      new Vector("SnapshotResponse", new SnapshotResponse(VOTE_3_1),
          "81a4766f746582a96c65616465725f696482a47465726d03a76e6f64655f696401a9636f6d6d6974746564c3"));
}
