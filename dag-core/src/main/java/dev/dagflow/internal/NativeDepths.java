package dev.dagflow.internal;

/**
 * How many levels down free JSON sits in a native document, where it is checked against
 * {@link dev.dagflow.json.JsonLimits}: {@code {"metadata": …}}, {@code {"nodes": [{"config":
 * …}]}} (and {@code activation}), {@code {"nodes": [{"dependsOn": [{"condition": …}]}]}}.
 *
 * <p>Shared because the engine and policies check config they receive by the same limit as a
 * spec's config.
 */
public final class NativeDepths {
  public static final int METADATA_DEPTH = 1;
  public static final int CONFIG_DEPTH = 3;
  public static final int ACTIVATION_DEPTH = 3;
  public static final int CONDITION_DEPTH = 5;

  private NativeDepths() {}
}
