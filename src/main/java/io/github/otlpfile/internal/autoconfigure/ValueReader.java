package io.github.otlpfile.internal.autoconfigure;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;

/**
 * Reads one typed value from a configuration property.
 *
 * @param <V> the type of the value
 */
interface ValueReader<V> {
  /**
   * Returns the value of {@code key}, or {@code null} when it is unset or blank.
   *
   * @throws ConfigurationException naming the key and the value when the value is invalid
   */
  V read(ConfigProperties config, String key);
}
