package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.StoreTable;
import dev.cairn.store.StoreTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Retention plans from {@link StoreTables}: every hypertable the migrations create must be listed
 * there, on the time column it is partitioned by, or retention would never drop its chunks.
 */
class StoreTablesIT {

  @Test
  void everyHypertableOfTheSchemaIsListedWithItsTimeColumn() throws SQLException {
    Map<String, String> hypertables = new HashMap<>();
    try (TestDatabase database = TestDatabase.createSchema();
        Connection connection = database.dataSource().getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT hypertable_name, column_name FROM timescaledb_information.dimensions"
                    + " WHERE hypertable_schema = ? AND dimension_number = 1")) {
      query.setString(1, database.schema());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          hypertables.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    Map<String, String> listed =
        StoreTables.ALL.stream()
            .collect(Collectors.toMap(StoreTable::name, StoreTable::timeColumn));
    assertThat(listed).isEqualTo(hypertables);
  }
}
