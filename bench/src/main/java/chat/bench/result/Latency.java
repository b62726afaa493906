package chat.bench.result;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds from a histogram recorded in microseconds. */
public final class Latency {
  private Latency() {}

  public static JsonObject summary(Histogram h) {
    JsonObject o = new JsonObject().put("count", h.getTotalCount());
    if (h.getTotalCount() == 0) {
      return o;
    }
    return o.put("p50Ms", ms(h.getValueAtPercentile(50)))
        .put("p90Ms", ms(h.getValueAtPercentile(90)))
        .put("p99Ms", ms(h.getValueAtPercentile(99)))
        .put("p999Ms", ms(h.getValueAtPercentile(99.9)))
        .put("maxMs", ms(h.getMaxValue()))
        .put("meanMs", Math.round(h.getMean() / 10.0) / 100.0);
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
