package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Permanent or worth retrying, from failures shaped like the OTLP exporters' own: an exception
 * whose {@code getResponse()} is declared to return an interface with {@code getStatusCode()} (an
 * {@code int} for HTTP, a status enum for gRPC), implemented by a class the caller cannot see.
 */
class FailureKindTest {

  /** What the HTTP exporters' {@code getResponse()} returns. */
  public interface HttpResponse {
    int getStatusCode();
  }

  /** What the gRPC exporters' {@code getResponse()} returns. */
  public interface GrpcResponse {
    GrpcStatus getStatusCode();
  }

  /** The gRPC status codes that matter here. */
  public enum GrpcStatus {
    INVALID_ARGUMENT,
    UNAVAILABLE,
    RESOURCE_EXHAUSTED
  }

  public static final class HttpFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final Integer code;

    HttpFailure(Integer code) {
      this.code = code;
    }

    /** {@code null} when no response came (the exporter failed before one). */
    public HttpResponse getResponse() {
      if (code == null) {
        return null;
      }
      return new HttpResponse() {
        @Override
        public int getStatusCode() {
          return code;
        }
      };
    }
  }

  public static final class GrpcFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final GrpcStatus status;

    GrpcFailure(GrpcStatus status) {
      this.status = status;
    }

    public GrpcResponse getResponse() {
      return () -> status;
    }
  }

  /** A {@code getResponse()} that throws. */
  public static final class BrokenFailure extends Exception {
    private static final long serialVersionUID = 1L;

    BrokenFailure(Throwable cause) {
      super(cause);
    }

    public HttpResponse getResponse() {
      throw new IllegalStateException("no response");
    }
  }

  /** An exception that names itself as its cause. */
  public static final class SelfCaused extends Exception {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable getCause() {
      return this;
    }
  }

  @Test
  void badRequestAndTooLargeAreRefusedForGood() {
    assertThat(FailureKind.of(new HttpFailure(400))).isEqualTo(FailureKind.PERMANENT);
    assertThat(FailureKind.of(new HttpFailure(413))).isEqualTo(FailureKind.PERMANENT);
  }

  @Test
  void otherHttpStatusesAreWorthRetrying() {
    for (int code : new int[] {399, 401, 404, 408, 412, 414, 429, 500, 502, 503, 504}) {
      assertThat(FailureKind.of(new HttpFailure(code)))
          .as("%s", code)
          .isEqualTo(FailureKind.RETRYABLE);
    }
  }

  @Test
  void grpcInvalidArgumentIsRefusedForGoodAndOtherStatusesAreRetried() {
    assertThat(FailureKind.of(new GrpcFailure(GrpcStatus.INVALID_ARGUMENT)))
        .isEqualTo(FailureKind.PERMANENT);
    assertThat(FailureKind.of(new GrpcFailure(GrpcStatus.UNAVAILABLE)))
        .isEqualTo(FailureKind.RETRYABLE);
    assertThat(FailureKind.of(new GrpcFailure(GrpcStatus.RESOURCE_EXHAUSTED)))
        .isEqualTo(FailureKind.RETRYABLE);
  }

  @Test
  void theStatusIsFoundInTheCauseChain() {
    assertThat(FailureKind.of(new IOException("wrapped", new HttpFailure(400))))
        .isEqualTo(FailureKind.PERMANENT);
    assertThat(
            FailureKind.of(
                new RuntimeException(
                    new IOException(new GrpcFailure(GrpcStatus.INVALID_ARGUMENT)))))
        .isEqualTo(FailureKind.PERMANENT);
    // The first status found decides, even when a cause has another one.
    HttpFailure outer = new HttpFailure(503);
    outer.initCause(new HttpFailure(400));
    assertThat(FailureKind.of(outer)).isEqualTo(FailureKind.RETRYABLE);
  }

  @Test
  void aFailureWithoutResponseLooksFurtherDownTheChain() {
    HttpFailure noResponse = new HttpFailure(null);
    assertThat(FailureKind.of(noResponse)).isEqualTo(FailureKind.RETRYABLE);
    noResponse.initCause(new HttpFailure(413));
    assertThat(FailureKind.of(noResponse)).isEqualTo(FailureKind.PERMANENT);
    assertThat(FailureKind.of(new BrokenFailure(new HttpFailure(400))))
        .as("a getResponse() that throws tells nothing")
        .isEqualTo(FailureKind.PERMANENT);
  }

  @Test
  void noAnswerAtAllIsWorthRetrying() {
    assertThat(FailureKind.of(null)).isEqualTo(FailureKind.RETRYABLE);
    assertThat(FailureKind.of(new TimeoutException())).isEqualTo(FailureKind.RETRYABLE);
    assertThat(FailureKind.of(new IOException("connection refused")))
        .isEqualTo(FailureKind.RETRYABLE);
    assertThat(FailureKind.of(new BrokenFailure(null))).isEqualTo(FailureKind.RETRYABLE);
    assertThat(FailureKind.of(new SelfCaused())).isEqualTo(FailureKind.RETRYABLE);
  }
}
