package dev.cairn.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dependency rules of docs/architecture.md, checked on the main classes of every module: shared
 * libraries stay free of the layers above them, services never reach into each other, and domain
 * packages stay free of transports and frameworks (so they are tested without a network).
 */
class ArchitectureTest {

  private static final String[] SERVICES = {"collector", "sampler", "storage", "query"};

  /** What only transport adapters (and the wiring in config) may touch. */
  private static final String[] TRANSPORTS_AND_FRAMEWORKS = {
    "io.grpc..", "jakarta.ws.rs..", "org.apache.kafka..", "io.quarkus.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cairn");
  }

  @Test
  void everyModuleIsImported() {
    // A rule over an empty set of classes passes whatever the code does: fail instead.
    for (String pkg :
        new String[] {
          "dev.cairn.model",
          "dev.cairn.store",
          "dev.cairn.kafka",
          "dev.cairn.selftracing",
          "dev.cairn.collector",
          "dev.cairn.sampler",
          "dev.cairn.storage",
          "dev.cairn.query"
        }) {
      if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
        throw new AssertionError("no class of " + pkg + " on the test classpath");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"collector", "sampler", "storage", "query"})
  void noServiceImportsAnother(String service) {
    for (String other : SERVICES) {
      if (!other.equals(service)) {
        noClasses()
            .that()
            .resideInAPackage("dev.cairn." + service + "..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.cairn." + other + "..")
            .because("services talk over Kafka and the store, never through each other's code")
            .check(classes);
      }
    }
  }

  @Test
  void traceModelImportsNoDatabaseKafkaOrFrameworkCode() {
    noClasses()
        .that()
        .resideInAPackage("dev.cairn.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "org.postgresql..",
            "io.vertx..",
            "io.agroal..",
            "org.apache.kafka..",
            "io.quarkus..",
            "io.smallrye..",
            "jakarta..",
            "dev.cairn.store..",
            "dev.cairn.kafka..",
            "dev.cairn.collector..",
            "dev.cairn.sampler..",
            "dev.cairn.storage..",
            "dev.cairn.query..")
        .because("trace-model is the plain-Java core every part shares")
        .check(classes);
  }

  @Test
  void traceStoreImportsNoServiceNorKafka() {
    noClasses()
        .that()
        .resideInAPackage("dev.cairn.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "dev.cairn.kafka..",
            "dev.cairn.collector..",
            "dev.cairn.sampler..",
            "dev.cairn.storage..",
            "dev.cairn.query..")
        .because("trace-store is shared by storage-svc (writes) and query-svc (reads)")
        .check(classes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev.cairn.kafka..", "dev.cairn.selftracing.."})
  void sharedServiceLibrariesImportNoServiceNorQuarkus(String library) {
    noClasses()
        .that()
        .resideInAPackage(library)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "dev.cairn.collector..",
            "dev.cairn.sampler..",
            "dev.cairn.storage..",
            "dev.cairn.query..")
        .check(classes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"collector", "sampler", "storage", "query"})
  void domainPackagesImportNoTransportOrFramework(String service) {
    noClasses()
        .that()
        .resideInAPackage("dev.cairn." + service + "..")
        .and()
        .resideOutsideOfPackages(
            "dev.cairn." + service + ".transport..",
            "dev.cairn." + service + ".config..",
            "dev.cairn." + service + ".health..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(TRANSPORTS_AND_FRAMEWORKS)
        .because("domain logic is tested without a network; adapters live in transport")
        .check(classes);
  }
}
