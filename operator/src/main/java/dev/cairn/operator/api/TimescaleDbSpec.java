package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The database connection, from a Secret in the resource's namespace with the keys {@code host},
 * {@code port}, {@code dbname}, {@code user} and {@code password} (those of CloudNativePG's
 * application secret).
 */
public record TimescaleDbSpec(
    @Required
        @Pattern(Defaults.DNS_SUBDOMAIN)
        @JsonPropertyDescription(
            "Name of the Secret with the keys host, port, dbname, user and password.")
        String secretName) {}
