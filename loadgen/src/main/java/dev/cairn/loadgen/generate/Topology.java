package dev.cairn.loadgen.generate;

import static dev.cairn.loadgen.generate.Attributes.integer;
import static dev.cairn.loadgen.generate.Attributes.string;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The simulated fleet: services {@code svc-000 … svc-N}, each with a few HTTP or gRPC operations,
 * maybe a database, and some replicas. Service {@code i} only calls services with a higher index,
 * so every call graph is acyclic; the first quarter of the services are entry points.
 */
public final class Topology {

  private static final String[] NOUNS = {
    "orders", "users", "carts", "payments", "inventory", "shipping", "catalog", "reviews",
    "search", "auth", "prices", "sessions", "accounts", "invoices", "quotes", "profiles"
  };
  private static final String[] HTTP_METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] RPC_VERBS = {"Get", "List", "Create", "Update"};
  private static final String[] DB_SYSTEMS = {"postgresql", "redis", "mongodb", "mysql"};
  private static final String[] SQL = {"SELECT", "SELECT", "INSERT", "UPDATE"};
  private static final int PORT = 8080;

  private final List<ServiceSpec> services;
  private final int entryPoints;

  private Topology(List<ServiceSpec> services) {
    this.services = List.copyOf(services);
    this.entryPoints = Math.max(1, (services.size() + 3) / 4);
  }

  /** Builds a fleet; the same {@code random} state gives the same fleet. */
  public static Topology create(GeneratorConfig config, RandomGenerator random) {
    List<ServiceSpec> services = new ArrayList<>(config.services());
    for (int i = 0; i < config.services(); i++) {
      String name = String.format(Locale.ROOT, "svc-%03d", i);
      List<OperationSpec> operations = new ArrayList<>();
      boolean rpc = random.nextInt(3) == 0;
      for (int o = 0; o < config.operationsPerService(); o++) {
        String noun = NOUNS[random.nextInt(NOUNS.length)];
        operations.add(
            rpc ? rpcOperation(name, noun, o, random) : httpOperation(name, noun, o, random));
      }
      OperationSpec database = random.nextInt(3) == 0 ? null : databaseOperation(name, random);
      List<ServiceInstance> instances = new ArrayList<>();
      for (int r = 0; r < config.instancesPerService(); r++) {
        instances.add(instance(name, r, random));
      }
      services.add(new ServiceSpec(i, name, operations, database, instances));
    }
    return new Topology(services);
  }

  public List<ServiceSpec> services() {
    return services;
  }

  public int entryPointCount() {
    return entryPoints;
  }

  /** The {@code index}-th entry point, {@code 0 <= index < entryPointCount()}. */
  ServiceSpec entryPoint(int index) {
    return services.get(index);
  }

  ServiceSpec pickEntryPoint(RandomGenerator random) {
    return services.get(random.nextInt(entryPoints));
  }

  /** A service that {@code caller} may call, or {@code null} when it is the last one. */
  ServiceSpec pickDownstream(ServiceSpec caller, RandomGenerator random) {
    int first = caller.index() + 1;
    if (first >= services.size()) {
      return null;
    }
    return services.get(first + random.nextInt(services.size() - first));
  }

  private static OperationSpec httpOperation(
      String service, String noun, int ordinal, RandomGenerator random) {
    String method = HTTP_METHODS[random.nextInt(HTTP_METHODS.length)];
    String route =
        "/api/v1/"
            + noun
            + (method.equals("POST") ? "" : "/{id}")
            + (ordinal > 3 ? "/" + ordinal : "");
    String name = method + " " + route;
    String url = "http://" + service + ":" + PORT + route.replace("{id}", "42");
    List<KeyValue> server =
        List.of(
            string("http.method", method),
            string("http.route", route),
            string("http.scheme", "http"),
            integer("net.host.port", PORT),
            string("http.target", route.replace("{id}", "42")),
            string("user_agent.original", "cairn-loadgen/1.0"));
    List<KeyValue> client =
        List.of(
            string("http.method", method),
            string("peer.service", service),
            string("http.url", url),
            string("net.peer.name", service),
            integer("net.peer.port", PORT));
    return new OperationSpec(
        OperationSpec.Kind.HTTP,
        name,
        method,
        latency(random, 2_000_000, 60_000_000),
        server,
        client);
  }

  private static OperationSpec rpcOperation(
      String service, String noun, int ordinal, RandomGenerator random) {
    String rpcService =
        "cairn." + Character.toUpperCase(noun.charAt(0)) + noun.substring(1) + "Service";
    String rpcMethod = RPC_VERBS[ordinal % RPC_VERBS.length] + capitalized(noun);
    String name = rpcService + "/" + rpcMethod;
    List<KeyValue> server =
        List.of(
            string("rpc.system", "grpc"),
            string("rpc.service", rpcService),
            string("rpc.method", rpcMethod),
            integer("net.host.port", 9090),
            string("net.transport", "ip_tcp"));
    List<KeyValue> client =
        List.of(
            string("rpc.system", "grpc"),
            string("peer.service", service),
            string("rpc.service", rpcService),
            string("rpc.method", rpcMethod),
            string("net.peer.name", service),
            integer("net.peer.port", 9090));
    return new OperationSpec(
        OperationSpec.Kind.RPC, name, name, latency(random, 1_000_000, 30_000_000), server, client);
  }

  private static OperationSpec databaseOperation(String service, RandomGenerator random) {
    String system = DB_SYSTEMS[random.nextInt(DB_SYSTEMS.length)];
    String table = NOUNS[random.nextInt(NOUNS.length)];
    String dbName = service.replace("-", "_");
    String statement;
    String operation;
    if (system.equals("redis")) {
      operation = "GET";
      statement = "GET " + table + ":?";
    } else if (system.equals("mongodb")) {
      operation = "find";
      statement = "{\"find\":\"" + table + "\",\"filter\":{\"_id\":\"?\"}}";
    } else {
      operation = SQL[random.nextInt(SQL.length)];
      statement = operation + " * FROM " + table + " WHERE id = ?";
    }
    List<KeyValue> client =
        List.of(
            string("db.system", system),
            string("db.name", dbName),
            string("db.operation", operation),
            string("db.statement", statement),
            string("peer.service", system),
            string("net.peer.name", dbName + "." + system + ".internal"));
    String name = operation + " " + dbName + "." + table;
    return new OperationSpec(
        OperationSpec.Kind.DATABASE,
        name,
        name,
        latency(random, 200_000, 8_000_000),
        List.of(),
        client);
  }

  private static ServiceInstance instance(String service, int replica, RandomGenerator random) {
    String pod =
        service
            + "-"
            + Long.toString(random.nextLong(36L * 36 * 36 * 36 * 36 * 36), 36)
            + "-"
            + replica;
    String instanceId = new UUID(random.nextLong(), random.nextLong()).toString();
    Resource resource =
        Resource.newBuilder()
            .addAttributes(string("service.name", service))
            .addAttributes(string("service.namespace", "cairn-loadgen"))
            .addAttributes(string("service.version", "1." + random.nextInt(10) + ".0"))
            .addAttributes(string("service.instance.id", instanceId))
            .addAttributes(string("host.name", "node-" + random.nextInt(16)))
            .addAttributes(string("k8s.namespace.name", "shop"))
            .addAttributes(string("k8s.pod.name", pod))
            .addAttributes(string("telemetry.sdk.language", "java"))
            .addAttributes(string("telemetry.sdk.name", "opentelemetry"))
            .build();
    return new ServiceInstance(service, resource);
  }

  /** A median drawn log-uniformly between the bounds, and a spread typical of real services. */
  private static LogNormal latency(RandomGenerator random, long minMedian, long maxMedian) {
    double logMedian = random.nextDouble(Math.log(minMedian), Math.log(maxMedian));
    return new LogNormal((long) Math.exp(logMedian), random.nextDouble(0.3, 0.9));
  }

  private static String capitalized(String noun) {
    return Character.toUpperCase(noun.charAt(0)) + noun.substring(1);
  }
}
