package io.jenkins.plugins.rollbackguard.engine.health.probe;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a cap. Past the cap the subscription is cancelled, which closes the
 * connection, so a 100 MiB answer costs 1 MiB of memory and no more reading.
 *
 * @param bytes
 *         the bytes read, at most the cap
 * @param truncated
 *         whether the body was longer and was cut off
 */
record CappedBody(byte[] bytes, boolean truncated) {
    /** @return the body as UTF-8 text */
    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Returns a body handler that keeps at most {@code cap} bytes.
     *
     * @param cap
     *         the most bytes to keep
     * @return the handler
     */
    static HttpResponse.BodyHandler<CappedBody> handler(final int cap) {
        return info -> new Subscriber(cap);
    }

    /** Collects buffers until the cap, then cancels. */
    private static final class Subscriber implements HttpResponse.BodySubscriber<CappedBody> {
        private final int cap;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<CappedBody> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(final int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<CappedBody> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(final Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(final List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int room = cap - out.size();
                int n = buffer.remaining();
                byte[] chunk = new byte[Math.min(room, n)];
                buffer.get(chunk);
                out.write(chunk, 0, chunk.length);
                if (n > room) {
                    subscription.cancel();
                    body.complete(new CappedBody(out.toByteArray(), true));
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(final Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(new CappedBody(out.toByteArray(), false));
        }
    }
}
