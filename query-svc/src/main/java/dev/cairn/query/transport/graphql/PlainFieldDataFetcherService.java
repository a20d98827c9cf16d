package dev.cairn.query.transport.graphql;

import graphql.TrivialDataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.execution.datafetcher.PlugableDataFetcher;
import io.smallrye.graphql.execution.datafetcher.helper.FieldHelper;
import io.smallrye.graphql.schema.model.Field;
import io.smallrye.graphql.schema.model.Reference;
import io.smallrye.graphql.schema.model.Type;
import io.smallrye.graphql.spi.ClassloadingService;
import io.smallrye.graphql.spi.DataFetcherService;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Reads the fields of this package's output types (a trace's spans, their attributes, events and
 * links) with a plain getter call instead of SmallRye's {@code FieldDataFetcher}, which rebuilds a
 * request context for every field it reads (a clone, the result path as a string, the selected
 * sub-fields as a JSON array): on a full-field trace that was 40 % of the GraphQL server's CPU,
 * about 50 fields for each span. Operations ({@link TraceGraphQLApi}, {@link ServiceGraphQLApi})
 * and batched {@code @Source} fields keep SmallRye's fetchers and its context; no field of these
 * types reads that context. SmallRye's transformation and adaptation step still runs, so a field
 * answers exactly what it did.
 *
 * <p>Registered through {@code META-INF/services}: SmallRye asks every {@link DataFetcherService}
 * for a field's fetcher and falls back to its own when all answer null.
 */
public final class PlainFieldDataFetcherService implements DataFetcherService {

  private static final String OUTPUT_TYPES_PACKAGE =
      PlainFieldDataFetcherService.class.getPackageName() + ".";

  @Override
  public Integer getPriority() {
    return 100;
  }

  @Override
  public PlugableDataFetcher<?> getFieldDataFetcher(Field field, Type type, Reference owner) {
    return owner.getClassName().startsWith(OUTPUT_TYPES_PACKAGE)
        ? new GetterFetcher(field, owner)
        : null;
  }

  /** One field: its getter (or a record's accessor, or a public field) called on the source. */
  static final class GetterFetcher
      implements PlugableDataFetcher<Object>, TrivialDataFetcher<Object> {

    private final Field field;
    private final Reference owner;
    private final FieldHelper transformation;
    private volatile MethodHandle getter;

    GetterFetcher(Field field, Reference owner) {
      this.field = field;
      this.owner = owner;
      this.transformation = new FieldHelper(field);
    }

    @Override
    public Object get(DataFetchingEnvironment environment) throws Exception {
      // Typed as Object: getSource() is generic, and a polymorphic invoke would infer Object[].
      Object source = environment.getSource();
      try {
        return transformation.transformOrAdaptResponse(getter().invoke(source), environment);
      } catch (Exception | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    private MethodHandle getter() throws ReflectiveOperationException {
      MethodHandle handle = getter;
      if (handle == null) {
        Class<?> type = ClassloadingService.get().loadClass(owner.getClassName());
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        handle =
            field.getMethodName() != null
                ? lookup.unreflect(type.getMethod(field.getMethodName()))
                : lookup.unreflectGetter(type.getField(field.getPropertyName()));
        getter = handle;
      }
      return handle;
    }
  }
}
