package dev.cairn.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayResolverTest {

  private final Map<String, List<String>> dns = new HashMap<>();

  private final GatewayResolver.Lookup lookup =
      host -> {
        List<String> addresses = dns.get(host);
        if (addresses == null) {
          throw new UnknownHostException(host);
        }
        return addresses;
      };

  @Test
  void aNameStandsForEveryAddressItResolvesToAndIsResolvedAgain() {
    dns.put("gateways.cairn.svc", List.of("10.0.0.1", "10.0.0.2"));
    dns.put("10.0.9.9", List.of("10.0.9.9"));
    GatewayResolver resolver =
        new GatewayResolver(List.of("gateways.cairn.svc:4317", " 10.0.9.9:14317 "), lookup);

    assertThat(resolver.resolve())
        .containsExactly(
            new Gateway("10.0.0.1", 4317),
            new Gateway("10.0.0.2", 4317),
            new Gateway("10.0.9.9", 14317));

    dns.put("gateways.cairn.svc", List.of("10.0.0.2", "10.0.0.3"));
    assertThat(resolver.resolve())
        .containsExactly(
            new Gateway("10.0.0.2", 4317),
            new Gateway("10.0.0.3", 4317),
            new Gateway("10.0.9.9", 14317));
  }

  @Test
  void aNameThatStopsResolvingKeepsItsLastAddresses() {
    dns.put("gw", List.of("10.0.0.1"));
    GatewayResolver resolver = new GatewayResolver(List.of("gw:4317"), lookup);
    resolver.resolve();

    dns.remove("gw");

    assertThat(resolver.resolve()).containsExactly(new Gateway("10.0.0.1", 4317));
  }

  @Test
  void aNameNeverResolvedYetStandsForNothing() {
    GatewayResolver resolver = new GatewayResolver(List.of("nowhere:4317"), lookup);

    assertThat(resolver.resolve()).isEmpty();
  }

  @Test
  void ipv6AddressesGoInBrackets() {
    dns.put("::1", List.of("0:0:0:0:0:0:0:1"));
    GatewayResolver resolver = new GatewayResolver(List.of("[::1]:4317"), lookup);

    Gateway gateway = resolver.resolve().iterator().next();
    assertThat(gateway.port()).isEqualTo(4317);
    assertThat(gateway.toString()).isEqualTo("[0:0:0:0:0:0:0:1]:4317");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gw", "gw:", ":4317", "gw:port", "gw:0", "gw:70000", "::1:4317"})
  void anEntryThatIsNotHostColonPortIsAConfigurationError(String entry) {
    assertThatThrownBy(() -> new GatewayResolver(List.of(entry), lookup))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(entry);
  }

  @Test
  void noGatewayAtAllIsAConfigurationError() {
    assertThatThrownBy(() -> new GatewayResolver(List.of(), lookup))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cairn.collector.agent.gateways");
  }
}
