package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreFailureTest {

  @ParameterizedTest(name = "{0} ({1}) is {2}")
  @CsvSource({
    "22P05, untranslatable character, PERMANENT",
    "22021, character not in repertoire, PERMANENT",
    "22008, datetime field overflow, PERMANENT",
    "23505, unique violation, PERMANENT",
    "23502, not null violation, PERMANENT",
    "54000, program limit exceeded (index row too large), PERMANENT",
    "54001, statement too complex, PERMANENT",
    "08006, connection failure, TRANSIENT",
    "08001, cannot establish connection, TRANSIENT",
    "40001, serialization failure, TRANSIENT",
    "40P01, deadlock detected, TRANSIENT",
    "53100, disk full, TRANSIENT",
    "53300, too many connections, TRANSIENT",
    "57P01, admin shutdown, TRANSIENT",
    "57P02, crash shutdown, TRANSIENT",
    "57P03, cannot connect now, TRANSIENT",
    "57014, query canceled (statement timeout), TRANSIENT",
    "42P01, undefined table (not migrated yet), TRANSIENT",
    "42601, syntax error (deployment), TRANSIENT",
    "55P03, lock not available, TRANSIENT",
    "XX000, internal error, TRANSIENT",
  })
  void classifiesBySqlState(String state, String meaning, StoreFailure expected) {
    assertThat(StoreFailure.ofSqlState(state)).as(meaning).isEqualTo(expected);
    assertThat(StoreFailure.of(new SQLException(meaning, state))).isEqualTo(expected);
  }

  @Test
  void withoutStateItIsTransient() {
    assertThat(StoreFailure.ofSqlState(null)).isEqualTo(StoreFailure.TRANSIENT);
    assertThat(StoreFailure.ofSqlState("")).isEqualTo(StoreFailure.TRANSIENT);
    assertThat(StoreFailure.of(new SQLTransientConnectionException("Acquisition timeout")))
        .as("pool timeout")
        .isEqualTo(StoreFailure.TRANSIENT);
    assertThat(StoreFailure.of(new IOException("broken pipe during COPY")))
        .isEqualTo(StoreFailure.TRANSIENT);
    assertThat(StoreFailure.of(new IllegalStateException("connection is closed")))
        .isEqualTo(StoreFailure.TRANSIENT);
  }

  @Test
  void theFirstStateInTheCauseChainDecides() {
    SQLException refused = new SQLException("index row size exceeds maximum", "54000");
    assertThat(StoreFailure.of(new RuntimeException("wrapped", refused)))
        .isEqualTo(StoreFailure.PERMANENT);
    SQLException stateless = new SQLException("no state", (String) null, refused);
    assertThat(StoreFailure.of(stateless)).isEqualTo(StoreFailure.PERMANENT);
  }
}
