package dev.dagflow.http.api.internal;

import java.io.IOException;
import java.io.InputStream;

/** What both transport adapters do alike around the core. */
public final class Transport {
  private Transport() {}

  /** A declared Content-Length; -1 if absent or not a number. */
  public static long length(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Reads and drops what is left of a request body, up to a few times {@code limit}, so that a
   * client still sending sees the answer; a longer body is left for the server to cut off.
   */
  public static void drain(InputStream body, int limit) {
    long left = 4L * limit;
    byte[] chunk = new byte[8192];
    try {
      int n;
      while (left > 0 && (n = body.read(chunk, 0, (int) Math.min(chunk.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client went away; nothing is left to answer
    }
  }
}
