package dev.dagflow.http.api.internal;

/** The path templates the routes share. */
final class Paths {
  static final String API = "/api/v1";
  static final String PROJECT = API + "/projects/{project}";
  static final String RUN = PROJECT + "/runs/{run}";
  static final String NODE = RUN + "/nodes/{node}";

  private Paths() {}
}
