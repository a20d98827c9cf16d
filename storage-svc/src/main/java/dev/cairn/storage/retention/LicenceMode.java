package dev.cairn.storage.retention;

import java.util.Locale;

/**
 * Who runs retention, read from {@code SHOW timescaledb.license} at start-up. Rollups are
 * storage-svc's job under both (docs/RATIONALE.md, "Rollups are a job, not a continuous
 * aggregate").
 */
public enum LicenceMode {
  /**
   * The Timescale (Community) licence: TimescaleDB's own retention and compression policies drop
   * and compress chunks in the background.
   */
  COMMUNITY,
  /**
   * The Apache-2 build (e.g. Debian's): policies are not available, storage-svc drops the expired
   * chunks itself on its schedule.
   */
  APACHE;

  /**
   * @param setting the value of {@code timescaledb.license}: {@code timescale} or {@code apache}
   */
  public static LicenceMode fromSetting(String setting) {
    String value = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
    // anything else (an unknown future value): the application's own jobs work under any licence
    return value.equals("timescale") ? COMMUNITY : APACHE;
  }
}
