package dev.dagflow.benchmarks;

/**
 * The DAG shapes every benchmark that runs or builds a DAG takes as its {@code shape}
 * {@code @Param}, so that each measures the same graphs ({@link BenchDag} builds them, seed
 * {@value BenchDag#DEFAULT_SEED}).
 */
public enum DagShape {
  /** Layers of 100, two distinct parents in the previous layer: 1,000 nodes are 10 layers. */
  LAYERED_100 {
    @Override
    public BenchDag of(int n) {
      return BenchDag.layered(n, 100, BenchDag.DEFAULT_SEED);
    }
  },
  /** {@code n0 → n1 → … }: no parallelism at all, one ready node at a time. */
  CHAIN {
    @Override
    public BenchDag of(int n) {
      return BenchDag.chain(n);
    }
  },
  /** One root, {@code n - 2} middle nodes on it, one join on all of them. */
  FAN_OUT_IN {
    @Override
    public BenchDag of(int n) {
      return BenchDag.fanOutFanIn(n);
    }
  },
  /**
   * Layers of 1,000, two distinct parents in the previous layer: the shape of the earlier
   * results (1,000 nodes are one layer of roots without edges).
   */
  LAYERED_1000 {
    @Override
    public BenchDag of(int n) {
      return BenchDag.layered(n, 1_000, BenchDag.DEFAULT_SEED);
    }
  };

  /** The graph of this shape with {@code n} nodes. */
  public abstract BenchDag of(int n);
}
