package io.raftnode.cli;

/** The command-line help text, and the exception that makes Main print it. */
final class Usage {
  static final String TEXT = """
      usage:
        raftnode -conf FILE                          run a node (also --conf FILE)
        raftnode kv put KEY VALUE                    write KEY
        raftnode kv get KEY [--consistency C]        read KEY; C is linearizable (default), lease or stale
        raftnode kv delete KEY                       delete KEY
        raftnode kv cas KEY EXPECTED NEW             set KEY to NEW if it is EXPECTED
        raftnode kv cas --absent KEY NEW             set KEY to NEW if it does not exist
        raftnode status                              show the node's Raft status
        raftnode member list [-w json]               every member: addresses, voter or learner, progress, leader
        raftnode member add-learner ID PEER CLIENT   add node ID (started with "members": {}) as a learner
        raftnode member promote ID... [--wait-ms N]  make learners voters (waits up to N ms, default 60000, for them to catch up)
        raftnode member remove ID                    remove a learner or voter for good (its id is never used again)
                                                     member changes take --expect-index N: refused unless the
                                                     membership is still the one at log index N (member list shows it)
        raftnode snapshot save FILE [--use-latest]   save a backup of the node's state to FILE (verified, fsynced)
        raftnode snapshot restore FILE --data-dir DIR --node-id N --members ID=PEER@CLIENT,...
                                                     build DIR as node N of a new cluster from the backup
                                                     (snapshot save --help / snapshot restore --help)
        raftnode bench [--concurrency 1,64] [--paths stream,unary] [--clients session,unary] [--warmup S] [--duration S] [--reps N]
                                                     benchmark a fresh local 3-node cluster (docs/BENCHMARKS.md)
        raftnode bench-membership [--parts catch-up,joint] [--reps N] [--help]
                                                     time a learner's catch-up and writes during joint changes
        raftnode help                                show this text

      client options:
        --server HOST:PORT   the node's client address (default 127.0.0.1:7201)
        --timeout-ms N       deadline for the call in milliseconds (default 5000)
        --tls                connect with TLS (the node's client_tls.enabled)
        --ca FILE            PEM CA to verify the node's certificate (default: the system's CAs)
        --cert FILE --key FILE   client certificate and key (client_tls.require_client_cert)
        --                   end of options; later arguments are taken literally

      raftnode is run as: java -jar target/node.jar ARGS
      exit codes: 0 ok, 1 call or start-up failed, 2 bad usage or bad config
      """;

  private Usage() {}

  /** Bad command-line usage; Main prints the message and the usage text and exits with 2. */
  static final class Error extends Exception {
    private static final long serialVersionUID = 1L;

    Error(String message) {
      super(message);
    }
  }
}
