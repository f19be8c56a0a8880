package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits of {@link RollingPolicy} and {@link RetentionPolicy}, and {@link FileNames}. */
class PoliciesAndNamesTest {
  @TempDir Path dir;

  @Test
  void aRecordThatExactlyFillsTheFileStaysInIt() {
    RollingPolicy policy = new RollingPolicy(100, 1000);
    assertThat(policy.rollBeforeRecord(10, 90)).isFalse();
    assertThat(policy.rollBeforeRecord(10, 91)).isTrue();
    // An empty file takes any record, however large.
    assertThat(policy.rollBeforeRecord(0, 1_000)).isFalse();
    assertThat(policy.rollBeforeRecord(1, 1_000)).isTrue();
  }

  @Test
  void aFileExpiresWhenItReachesItsAge() {
    RollingPolicy policy = new RollingPolicy(100, 1000);
    assertThat(policy.isExpired(5_000, 5_999)).isFalse();
    assertThat(policy.isExpired(5_000, 6_000)).isTrue();
  }

  @Test
  void retentionLimitsAreInclusive() {
    RetentionPolicy policy = new RetentionPolicy(3, 300, TimeUnit.MILLISECONDS.toNanos(1000));
    assertThat(policy.isOverLimits(3, 300)).isFalse();
    assertThat(policy.isOverLimits(4, 300)).isTrue();
    assertThat(policy.isOverLimits(3, 301)).isTrue();
    assertThat(policy.isExpired(5_000, 6_000)).as("exactly maxAge old is kept").isFalse();
    assertThat(policy.isExpired(5_000, 6_001)).isTrue();
    assertThat(policy.toString()).contains("maxFiles=3", "maxTotalSizeBytes=300", "=1000");
  }

  @Test
  void instanceIdsAreTwelveRandomHexDigits() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String id = FileNames.newInstanceId();
      assertThat(id).matches("[0-9a-f]{12}");
      ids.add(id);
    }
    assertThat(ids).hasSizeGreaterThan(45);
  }

  @Test
  void namesSortByTimeThenInstanceThenSequence() {
    FileNames.ParsedName early = parse("traces-20240101T000000.000Z-bbbbbbbbbbbb-9.jsonl");
    FileNames.ParsedName laterA = parse("traces-20240101T000000.001Z-aaaaaaaaaaaa-9.jsonl");
    FileNames.ParsedName laterB1 = parse("traces-20240101T000000.001Z-bbbbbbbbbbbb-1.jsonl");
    FileNames.ParsedName laterB2 = parse("traces-20240101T000000.001Z-bbbbbbbbbbbb-2.jsonl");
    FileNames.ParsedName laterB2gz = parse("traces-20240101T000000.001Z-bbbbbbbbbbbb-2.jsonl.gz");
    assertThat(early).isLessThan(laterA);
    assertThat(laterA).isLessThan(laterB1);
    assertThat(laterB1).isLessThan(laterB2);
    assertThat(laterB2).isLessThan(laterB2gz);
    assertThat(laterB2.compareTo(parse(laterB2.getFileName()))).isZero();

    assertThat(laterB2).isEqualTo(parse(laterB2.getFileName())).isNotEqualTo(laterB2gz);
    assertThat(laterB2).isNotEqualTo(laterB2.getFileName());
    assertThat(laterB2.hashCode()).isEqualTo(laterB2.getFileName().hashCode());
    assertThat(laterB2gz.toString()).isEqualTo(laterB2gz.getFileName());
    assertThat(laterB2gz.getPlainName()).isEqualTo(laterB2.getFileName());
    assertThat(laterA.getInstanceId()).isEqualTo("aaaaaaaaaaaa");
    assertThat(FileNames.parse("logs", laterA.getFileName())).isNull();
  }

  @Test
  void anEntryOfAPlainFileAndItsCompressedFormCountsThePlainOne() throws Exception {
    String plain = "traces-20240101T000000.000Z-0123456789ab-1.jsonl";
    Files.writeString(dir.resolve(plain), "0123456789");
    Files.writeString(dir.resolve(plain + ".gz"), "01");
    FileFolder folder = new FileFolder(dir, "traces");
    assertThat(folder.list()).hasSize(1);
    FileFolder.Entry entry = folder.list().get(0);
    assertThat(entry.getSizeBytes()).isEqualTo(10);
    assertThat(entry.getPlain()).isEqualTo(dir.resolve(plain));
    assertThat(entry.getCompressed()).isEqualTo(dir.resolve(plain + ".gz"));
    assertThat(entry.getPlainPath()).isEqualTo(dir.resolve(plain));
    assertThat(entry.getInstanceId()).isEqualTo("0123456789ab");
    assertThat(entry.toString()).isEqualTo(plain);
    assertThat(folder.toString()).contains("traces").contains(dir.toString());

    Files.delete(dir.resolve(plain));
    FileFolder.Entry compressedOnly = folder.list().get(0);
    assertThat(compressedOnly.getSizeBytes()).isEqualTo(2);
    assertThat(compressedOnly.getPlain()).isNull();
    assertThat(compressedOnly.toString()).isEqualTo(plain + ".gz");
  }

  private static FileNames.ParsedName parse(String name) {
    FileNames.ParsedName parsed = FileNames.parse("traces", name);
    assertThat(parsed).as(name).isNotNull();
    return parsed;
  }
}
