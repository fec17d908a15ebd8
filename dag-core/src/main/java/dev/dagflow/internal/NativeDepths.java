package dev.dagflow.internal;

/**
 * How many levels down free JSON sits in a native document, where it is checked against
 * {@link dev.dagflow.json.JsonLimits}: {@code {"metadata": …}}, {@code {"nodes": [{"config":
 * …}]}} (and {@code activation}), {@code {"nodes": [{"dependsOn": [{"condition": …}]}]}};
 * and where a run's params, a node's result and an event's payload sit in theirs.
 *
 * <p>Shared because the engine and policies check config they receive by the same limit as a
 * spec's config.
 */
public final class NativeDepths {
  public static final int METADATA_DEPTH = 1;
  public static final int CONFIG_DEPTH = 3;
  public static final int ACTIVATION_DEPTH = 3;
  public static final int CONDITION_DEPTH = 5;
  /** Parameters sit one level down: {@code {"params": …}}, a run record or a submit request. */
  public static final int PARAMS_DEPTH = 1;
  /** A result sits one level down: {@code {"result": …}}, the document edge conditions see. */
  public static final int RESULT_DEPTH = 1;
  /** The payload's level in the event document, {@code {"payload": …}}. */
  public static final int PAYLOAD_DEPTH = 1;

  private NativeDepths() {}
}
