package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Span;
import dev.cairn.store.StoreTestSpans;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeJsonTest {

  @Test
  void everyAttributeTypeRoundTrips() {
    List<Attribute> attributes = StoreTestSpans.everyAttributeType();
    String json = AttributeJson.attributes(attributes);
    assertThat(json).doesNotContain("\\u0000");
    assertThat(AttributeJson.readAttributes(json)).isEqualTo(attributes);
  }

  @Test
  void intAndStringOfSameDigitsStayDistinct() {
    List<Attribute> attributes = List.of(Attribute.of("a", 500), Attribute.of("b", "500"));
    assertThat(AttributeJson.readAttributes(AttributeJson.attributes(attributes)))
        .extracting(Attribute::value)
        .containsExactly(new AttributeValue.IntValue(500), new AttributeValue.StringValue("500"));
  }

  @Test
  void eventsLinksResourceAndScopeRoundTrip() {
    Span span = StoreTestSpans.fullSpan(StoreTestSpans.randomTraceId(), "svc", 1_000L);
    assertThat(AttributeJson.readEvents(AttributeJson.events(span.events())))
        .isEqualTo(span.events());
    assertThat(AttributeJson.readLinks(AttributeJson.links(span.links()))).isEqualTo(span.links());
    assertThat(AttributeJson.readResource(AttributeJson.resource(span.resource())))
        .isEqualTo(span.resource());
    assertThat(AttributeJson.readScope(AttributeJson.scope(span.scope()))).isEqualTo(span.scope());
  }

  @Test
  void tagsAreTheFirstTextOfEachScalarAttribute() {
    String tags =
        AttributeJson.tags(
            List.of(
                Attribute.of("http.status_code", 500),
                Attribute.of("shared", "first"),
                Attribute.of("shared", "second"),
                new Attribute("ok", new AttributeValue.BoolValue(true)),
                new Attribute("list", new AttributeValue.ArrayValue(List.of())),
                new Attribute("late", new AttributeValue.ArrayValue(List.of())),
                Attribute.of("late", "scalar"),
                Attribute.of("late", "again")));
    assertThat(tags)
        .isEqualTo(
            "{\"http.status_code\":\"500\",\"shared\":\"first\",\"ok\":\"true\","
                + "\"late\":\"scalar\"}");
  }
}
