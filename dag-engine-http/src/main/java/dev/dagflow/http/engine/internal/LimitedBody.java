package dev.dagflow.http.engine.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads an answer's body into memory, at most a given number of bytes: a successful answer
 * over the limit fails with {@link TooLarge} (its declared length is checked before anything is
 * read), an error answer is cut at the limit, since only its start goes into a message.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** A successful answer's body is longer than the limit. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final long max;
  private final boolean cut;
  private Flow.Subscription subscription;

  private LimitedBody(long max, boolean cut) {
    this.max = max;
    this.cut = cut;
  }

  /** A handler reading at most {@code max} bytes of a 2xx body and cutting others there. */
  static HttpResponse.BodyHandler<byte[]> handler(long max) {
    return info -> {
      boolean ok = info.statusCode() / 100 == 2;
      long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (ok && declared > max) {
        return failing("the answer declares " + declared + " bytes, over the limit of " + max);
      }
      return new LimitedBody(max, !ok);
    };
  }

  private static HttpResponse.BodySubscriber<byte[]> failing(String message) {
    LimitedBody b = new LimitedBody(0, false);
    b.body.completeExceptionally(new TooLarge(message));
    return b;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (body.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      int n = item.remaining();
      if (out.size() + (long) n > max) {
        if (cut) {
          int room = (int) (max - out.size());
          byte[] part = new byte[room];
          item.get(part);
          out.write(part, 0, room);
          subscription.cancel();
          body.complete(out.toByteArray());
        } else {
          subscription.cancel();
          body.completeExceptionally(new TooLarge("the answer is over the limit of " + max
              + " bytes"));
        }
        return;
      }
      byte[] bytes = new byte[n];
      item.get(bytes);
      out.write(bytes, 0, n);
    }
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    body.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }
}
