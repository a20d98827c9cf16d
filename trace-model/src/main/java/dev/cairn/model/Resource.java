package dev.cairn.model;

import java.util.List;

/** The entity that produced spans (a service instance), as OTLP describes it. */
public record Resource(List<Attribute> attributes, int droppedAttributesCount, String schemaUrl) {

  public static final String SERVICE_NAME = "service.name";

  /** The name OpenTelemetry SDKs report when the application set none. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  public static final Resource EMPTY = new Resource(List.of(), 0, "");

  public Resource {
    attributes = List.copyOf(attributes);
  }

  public String serviceName() {
    return Attribute.find(attributes, SERVICE_NAME)
        .filter(AttributeValue.StringValue.class::isInstance)
        .map(value -> ((AttributeValue.StringValue) value).value())
        .filter(name -> !name.isEmpty())
        .orElse(UNKNOWN_SERVICE);
  }
}
