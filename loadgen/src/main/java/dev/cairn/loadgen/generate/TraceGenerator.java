package dev.cairn.loadgen.generate;

import static dev.cairn.loadgen.generate.Attributes.bool;
import static dev.cairn.loadgen.generate.Attributes.decimal;
import static dev.cairn.loadgen.generate.Attributes.integer;
import static dev.cairn.loadgen.generate.Attributes.string;
import static dev.cairn.loadgen.generate.Attributes.strings;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generates realistic traces over a {@link Topology}. First the shape: a root server span at an
 * entry-point service, then breadth-first, per server span, calls to downstream services (a client
 * span in the caller and a server span in the callee), database calls and internal work;
 * breadth-first growth spreads the {@link GeneratorConfig#maxSpansPerTrace()} budget over the whole
 * tree instead of spending it on the first branch. Then durations bottom-up, as in real systems: a
 * span lasts its own (log-normal) work plus its calls, one after another or, for some spans,
 * concurrently; a client span adds the network round trip around its server span. Last, start times
 * top-down, so every child lies inside its parent's time window.
 *
 * <p>Not thread-safe: give each thread its own generator (and random source).
 */
public final class TraceGenerator {

  /** Share of server spans that make their calls concurrently rather than one after another. */
  private static final double PARALLEL_SHARE = 0.25;

  private static final LogNormal NETWORK = new LogNormal(150_000, 0.5);
  private static final LogNormal INTERNAL_WORK = new LogNormal(300_000, 0.8);
  private static final String[] EXCEPTIONS = {
    "java.net.SocketTimeoutException", "java.lang.IllegalStateException",
    "io.grpc.StatusRuntimeException", "java.sql.SQLTransientConnectionException"
  };
  private static final String[] FILLER_NAMES = {
    "app.tenant", "app.items", "app.ratio", "app.cache_hit", "app.tags"
  };

  /** Distinct values per filler attribute; prebuilt so that a span allocates no attributes. */
  private static final int FILLER_VALUES = 64;

  private static final KeyValue HTTP_OK = integer("http.status_code", 200);
  private static final KeyValue HTTP_CREATED = integer("http.status_code", 201);
  private static final KeyValue HTTP_ERROR = integer("http.status_code", 500);
  private static final KeyValue HTTP_UNAVAILABLE = integer("http.status_code", 503);
  private static final KeyValue GRPC_OK = integer("rpc.grpc.status_code", 0);
  private static final KeyValue GRPC_UNKNOWN = integer("rpc.grpc.status_code", 2);

  private final GeneratorConfig config;
  private final Topology topology;
  private final RandomGenerator random;
  private final KeyValue[][] fillers;
  private final List<List<KeyValue>> internalAttributes;
  private final Zipf entryPoints;
  private final Zipf rootOperations;
  private final Zipf customers;

  public TraceGenerator(GeneratorConfig config, Topology topology, RandomGenerator random) {
    this(config, topology, random, Skew.NONE);
  }

  /** With {@code skew}, entry points, root operations and customers follow Zipf's law. */
  public TraceGenerator(
      GeneratorConfig config, Topology topology, RandomGenerator random, Skew skew) {
    this.config = config;
    this.topology = topology;
    this.random = random;
    boolean skewed = skew.exponent() > 0;
    this.entryPoints = skewed ? new Zipf(topology.entryPointCount(), skew.exponent()) : null;
    this.rootOperations = skewed ? new Zipf(config.operationsPerService(), skew.exponent()) : null;
    this.customers = skew.customers() > 0 ? new Zipf(skew.customers(), skew.exponent()) : null;
    this.fillers = new KeyValue[config.attributesPerSpan()][FILLER_VALUES];
    for (int i = 0; i < fillers.length; i++) {
      String key = i < FILLER_NAMES.length ? FILLER_NAMES[i] : "app.attr_" + i;
      for (int v = 0; v < FILLER_VALUES; v++) {
        fillers[i][v] = filler(key, i % 5, v);
      }
    }
    List<List<KeyValue>> internal = new ArrayList<>();
    for (ServiceSpec service : topology.services()) {
      internal.add(
          List.of(
              string("code.namespace", "dev.cairn." + service.name().replace("-", "")),
              string("code.function", "handle")));
    }
    this.internalAttributes = List.copyOf(internal);
  }

  /** A new trace that has just finished: its root span ends at {@code endEpochNanos}. */
  public GeneratedTrace next(long endEpochNanos) {
    byte[] traceId = TraceIds.newTraceId(random);
    ServiceSpec rootService =
        entryPoints == null
            ? topology.pickEntryPoint(random)
            : topology.entryPoint(entryPoints.sample(random) - 1);
    OperationSpec rootOperation =
        rootOperations == null
            ? pick(rootService.operations())
            : rootService.operations().get(rootOperations.sample(random) - 1);
    String customerId = customers == null ? null : Skew.customerId(customers.sample(random));
    KeyValue customer = customerId == null ? null : string(Skew.CUSTOMER_KEY, customerId);
    Node root =
        new Node(null, Role.SERVER, rootService, pick(rootService.instances()), rootOperation, 1);
    List<Node> nodes = new ArrayList<>();
    nodes.add(root);
    ArrayDeque<Node> pending = new ArrayDeque<>();
    pending.add(root);
    while (!pending.isEmpty()) {
      addChildren(pending.poll(), nodes, pending);
    }
    // nodes are in breadth-first order: children after parents
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).computeDuration();
    }
    root.start = endEpochNanos - root.duration;
    for (Node node : nodes) {
      node.placeChildren();
    }
    boolean hasError = random.nextDouble() < config.errorRatio();
    if (hasError) {
      injectFailure(nodes);
    }
    ByteString traceIdBytes = UnsafeByteOperations.unsafeWrap(traceId);
    List<GeneratedSpan> spans = new ArrayList<>(nodes.size());
    for (Node node : nodes) {
      spans.add(new GeneratedSpan(node.instance, toSpan(traceIdBytes, node, customer)));
    }
    return new GeneratedTrace(
        traceId, rootService.name(), rootOperation.name(), spans, hasError, customerId);
  }

  /**
   * Decides what a server span calls, within the remaining span budget: downstream services (a
   * client span in the caller and a server span in the callee), its database, internal work.
   */
  private void addChildren(Node parent, List<Node> nodes, ArrayDeque<Node> pending) {
    int budget = config.maxSpansPerTrace() - nodes.size();
    if (parent.role != Role.SERVER || budget <= 0) {
      return;
    }
    if (parent.hop < config.depth() && config.fanout() > 0) {
      int calls =
          parent.parent == null
              ? 1 + random.nextInt(config.fanout())
              : random.nextInt(config.fanout() + 1);
      for (int i = 0; i < calls && budget >= 2; i++) {
        ServiceSpec target = topology.pickDownstream(parent.service, random);
        if (target == null) {
          break;
        }
        OperationSpec operation = pick(target.operations());
        Node client =
            new Node(parent, Role.CLIENT, parent.service, parent.instance, operation, parent.hop);
        Node server =
            new Node(
                client, Role.SERVER, target, pick(target.instances()), operation, parent.hop + 1);
        client.children.add(server);
        parent.children.add(client);
        nodes.add(client);
        nodes.add(server);
        pending.add(server);
        budget -= 2;
      }
    }
    OperationSpec database = parent.service.database();
    if (database != null && budget >= 1 && random.nextDouble() < 0.6) {
      Node query =
          new Node(parent, Role.DATABASE, parent.service, parent.instance, database, parent.hop);
      parent.children.add(query);
      nodes.add(query);
      budget--;
    }
    if (budget >= 1 && random.nextDouble() < 0.3) {
      Node work =
          new Node(
              parent, Role.INTERNAL, parent.service, parent.instance, parent.operation, parent.hop);
      parent.children.add(work);
      nodes.add(work);
    }
    shuffle(parent.children);
    parent.parallel = parent.children.size() > 1 && random.nextDouble() < PARALLEL_SHARE;
  }

  /** Fails a random span and marks the path to the root as failed, as real errors propagate. */
  private void injectFailure(List<Node> nodes) {
    Node failed =
        nodes.size() == 1 ? nodes.get(0) : nodes.get(1 + random.nextInt(nodes.size() - 1));
    failed.exception = EXCEPTIONS[random.nextInt(EXCEPTIONS.length)];
    for (Node node = failed; node != null; node = node.parent) {
      node.error = true;
    }
  }

  /** {@code customer}, when not null, goes on server spans after the semantic attributes. */
  private Span toSpan(ByteString traceId, Node node, KeyValue customer) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(node.spanId)
            .setName(node.name())
            .setKind(node.role.kind)
            .setStartTimeUnixNano(node.start)
            .setEndTimeUnixNano(node.end());
    if (node.parent != null) {
      span.setParentSpanId(node.parent.spanId);
    }
    List<KeyValue> attributes = new ArrayList<>(config.attributesPerSpan());
    for (KeyValue constant : node.constantAttributes()) {
      if (attributes.size() == config.attributesPerSpan()) {
        break;
      }
      attributes.add(constant);
    }
    KeyValue outcome = outcomeAttribute(node);
    if (outcome != null && attributes.size() < config.attributesPerSpan()) {
      attributes.add(outcome);
    }
    if (customer != null
        && node.role == Role.SERVER
        && attributes.size() < config.attributesPerSpan()) {
      attributes.add(customer);
    }
    for (int i = 0; attributes.size() < config.attributesPerSpan(); i++) {
      attributes.add(filler(i));
    }
    span.addAllAttributes(attributes);
    if (node.error) {
      String message =
          node.exception != null
              ? node.exception + ": simulated failure"
              : "downstream call failed";
      span.setStatus(
          Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
    }
    if (node.exception != null) {
      span.addEvents(
          Span.Event.newBuilder()
              .setName("exception")
              .setTimeUnixNano(node.start + node.duration / 2)
              .addAttributes(string("exception.type", node.exception))
              .addAttributes(string("exception.message", "simulated failure in " + node.name()))
              .addAttributes(
                  string(
                      "exception.stacktrace",
                      node.exception
                          + ": simulated failure\n\tat dev.cairn.loadgen.Simulated.call(Simulated.java:42)"))
              .addAttributes(bool("exception.escaped", true)));
    }
    return span.build();
  }

  private KeyValue outcomeAttribute(Node node) {
    OperationSpec.Kind kind = node.operation.kind();
    if (node.role == Role.INTERNAL || kind == OperationSpec.Kind.DATABASE) {
      return null;
    }
    if (kind == OperationSpec.Kind.RPC) {
      return node.error ? GRPC_UNKNOWN : GRPC_OK;
    }
    if (node.error) {
      return random.nextInt(4) == 0 ? HTTP_UNAVAILABLE : HTTP_ERROR;
    }
    return random.nextInt(10) == 0 ? HTTP_CREATED : HTTP_OK;
  }

  private KeyValue filler(int i) {
    return fillers[i][random.nextInt(FILLER_VALUES)];
  }

  /** The {@code v}-th value of a filler attribute of the given type (string, int, double, ...). */
  private static KeyValue filler(String key, int type, int v) {
    return switch (type) {
      case 0 -> string(key, "tenant-" + v);
      case 1 -> integer(key, v * 7L);
      case 2 -> decimal(key, v / (double) FILLER_VALUES);
      case 3 -> bool(key, v % 2 == 0);
      default -> strings(key, "tier-" + v % 3, "region-" + v % 4);
    };
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private void shuffle(List<Node> children) {
    for (int i = children.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Node swap = children.get(i);
      children.set(i, children.get(j));
      children.set(j, swap);
    }
  }

  private enum Role {
    SERVER(Span.SpanKind.SPAN_KIND_SERVER),
    CLIENT(Span.SpanKind.SPAN_KIND_CLIENT),
    DATABASE(Span.SpanKind.SPAN_KIND_CLIENT),
    INTERNAL(Span.SpanKind.SPAN_KIND_INTERNAL);

    private final Span.SpanKind kind;

    Role(Span.SpanKind kind) {
      this.kind = kind;
    }
  }

  /**
   * A span under construction. Its duration is known bottom-up (own work plus its children), its
   * start top-down (placed in its parent's window), its error flag once the whole tree exists.
   */
  private final class Node {
    private final Node parent;
    private final Role role;
    private final ServiceSpec service;
    private final ServiceInstance instance;
    private final OperationSpec operation;
    private final int hop;
    private final ByteString spanId;
    private final List<Node> children = new ArrayList<>(4);
    private boolean parallel;
    private long duration;
    private long start;
    private boolean error;
    private String exception;

    private Node(
        Node parent,
        Role role,
        ServiceSpec service,
        ServiceInstance instance,
        OperationSpec operation,
        int hop) {
      this.parent = parent;
      this.role = role;
      this.service = service;
      this.instance = instance;
      this.operation = operation;
      this.hop = hop;
      this.spanId = UnsafeByteOperations.unsafeWrap(TraceIds.newSpanId(random));
    }

    /** Needs the children's durations: call in reverse breadth-first order. */
    private void computeDuration() {
      long own =
          switch (role) {
            case SERVER, DATABASE -> operation.latency().sample(random);
            case CLIENT -> 2 * NETWORK.sample(random);
            case INTERNAL -> INTERNAL_WORK.sample(random);
          };
      long callees = 0;
      for (Node child : children) {
        callees = parallel ? Math.max(callees, child.duration) : callees + child.duration;
      }
      duration = own + callees;
    }

    /** Lays the children out inside this span: one after another, or together when parallel. */
    private void placeChildren() {
      if (children.isEmpty()) {
        return;
      }
      if (role == Role.CLIENT) {
        Node server = children.get(0);
        server.start = start + (duration - server.duration) / 2;
        return;
      }
      long used = 0;
      for (Node child : children) {
        used = parallel ? Math.max(used, child.duration) : used + child.duration;
      }
      long spare = duration - used;
      if (parallel) {
        for (Node child : children) {
          child.start = start + spare / 2 + random.nextLong(used - child.duration + 1);
        }
        return;
      }
      long gap = spare / (children.size() + 1);
      long cursor = start + gap;
      for (Node child : children) {
        child.start = cursor;
        cursor += child.duration + gap;
      }
    }

    private long end() {
      return start + duration;
    }

    private String name() {
      return switch (role) {
        case SERVER, DATABASE -> operation.name();
        case CLIENT -> operation.clientName();
        case INTERNAL -> "process " + operation.name();
      };
    }

    private List<KeyValue> constantAttributes() {
      return switch (role) {
        case SERVER -> operation.serverAttributes();
        case CLIENT, DATABASE -> operation.clientAttributes();
        case INTERNAL -> internalAttributes.get(service.index());
      };
    }
  }
}
