package dev.cairn.query.transport.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import graphql.schema.DataFetchingEnvironmentImpl;
import io.smallrye.graphql.schema.model.Field;
import io.smallrye.graphql.schema.model.Reference;
import io.smallrye.graphql.schema.model.ReferenceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainFieldDataFetcherServiceTest {

  private final PlainFieldDataFetcherService service = new PlainFieldDataFetcherService();
  private final GraphQLAttribute attribute =
      GraphQLAttribute.of(Attribute.of("http.method", "GET"));

  @Test
  void readsARecordComponentAndAGetterOfThisPackagesTypes() throws Exception {
    assertThat(fetch(field("key", "key"), attribute)).isEqualTo("http.method");
    assertThat(fetch(field("getText", "text"), attribute)).isEqualTo("GET");
  }

  @Test
  void leavesOtherTypesToSmallRye() {
    assertThat(service.getFieldDataFetcher(field("name", "name"), null, owner(String.class)))
        .isNull();
  }

  @Test
  void readsEachSourceItIsGiven() throws Exception {
    Field key = field("key", "key");
    var other = new GraphQLAttribute("http.route", attribute.value());
    assertThat(List.of(fetch(key, attribute), fetch(key, other)))
        .containsExactly("http.method", "http.route");
  }

  private Object fetch(Field field, Object source) throws Exception {
    var fetcher = service.getFieldDataFetcher(field, null, owner(source.getClass()));
    assertThat(fetcher).isNotNull();
    return fetcher.get(
        DataFetchingEnvironmentImpl.newDataFetchingEnvironment().source(source).build());
  }

  private static Field field(String method, String property) {
    return new Field(method, property, property, owner(String.class));
  }

  private static Reference owner(Class<?> type) {
    Reference reference = new Reference();
    reference.setClassName(type.getName());
    reference.setName(type.getSimpleName());
    reference.setType(ReferenceType.TYPE);
    return reference;
  }
}
