package dev.cairn.operator.transport.http;

import dev.cairn.kafka.Backoff;
import dev.cairn.operator.config.OperatorConfig;
import dev.cairn.operator.transport.kubernetes.WebhookCertificateKeeper;
import dev.cairn.operator.webhook.certificate.CertificateBundle;
import dev.cairn.operator.webhook.certificate.InvalidCertificateException;
import dev.cairn.operator.webhook.certificate.RenewalPolicy;
import dev.cairn.operator.webhook.certificate.ServiceIdentity;
import dev.cairn.operator.webhook.certificate.ServingCertificate;
import dev.cairn.operator.webhook.certificate.SwitchOver;
import dev.cairn.operator.webhook.certificate.WebhookCertificates;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The webhook's HTTPS certificate, served from memory: the TLS configuration {@value #TLS_NAME}
 * ({@code quarkus.http.tls-configuration-name}) is registered from the Secret read through the API
 * before the HTTP server opens its ports (start-up observers run first), and replaced, with a
 * {@link CertificateUpdatedEvent} that makes the running server take it, when a later look finds
 * another certificate (the operator's renewal, or cert-manager's) and {@link SwitchOver} says
 * clients trust it by then.
 */
@ApplicationScoped
public class WebhookServingCertificate {
  public static final String TLS_NAME = "webhook";

  private static final Logger LOG = Logger.getLogger(WebhookServingCertificate.class);

  private final OperatorConfig.Webhook config;
  private final TlsConfigurationRegistry registry;
  private final Event<CertificateUpdatedEvent> updated;
  private final WebhookCertificateKeeper keeper;
  private final Clock clock = Clock.systemUTC();
  private volatile CertificateBundle served;
  private volatile Instant servedUntil = Instant.EPOCH;
  private ScheduledExecutorService looks;

  WebhookServingCertificate(
      KubernetesClient client,
      OperatorConfig config,
      TlsConfigurationRegistry registry,
      Event<CertificateUpdatedEvent> updated,
      MeterRegistry meters) {
    this.config = config.webhook();
    this.registry = registry;
    this.updated = updated;
    String namespace = this.config.namespace().orElseGet(client::getNamespace);
    this.keeper =
        new WebhookCertificateKeeper(
            client,
            namespace,
            this.config.secret(),
            this.config.configuration(),
            new WebhookCertificates(
                new ServiceIdentity(this.config.service(), namespace),
                new RenewalPolicy(
                    this.config.certificateValidity(), this.config.certificateRenewBefore())),
            this.config.certificate() == OperatorConfig.CertificateProvider.OPERATOR);
    Gauge.builder(
            "cairn.operator.webhook.certificate.expiry", this, s -> s.servedUntil.getEpochSecond())
        .description("End of validity of the webhook's served certificate, in Unix seconds")
        .baseUnit("seconds")
        .register(meters);
  }

  void start(@Observes StartupEvent event) {
    serve(firstCertificate(), false);
    looks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhook-certificate");
              t.setDaemon(true);
              return t;
            });
    long every = config.certificateCheckEvery().toMillis();
    looks.scheduleWithFixedDelay(() -> look(clock.instant()), every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (looks != null) {
      looks.shutdownNow();
    }
  }

  /**
   * One look at the Secret: serves what it holds now if that changed. A failure is logged and left
   * to the next look; the served certificate stays.
   */
  public void look(Instant now) {
    try {
      Optional<CertificateBundle> next = keeper.reconcile(now).filter(b -> !b.equals(served));
      if (next.isEmpty()) {
        return;
      }
      if (SwitchOver.now(served, next.get(), now)) {
        serve(next.get(), true);
      } else {
        LOG.infof(
            "A renewed webhook certificate is in the Secret; it is served from the next look (in"
                + " %s), once the API server has the new CA bundle",
            config.certificateCheckEvery());
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          e,
          "Could not look at the webhook's certificate; still serving the one valid until %s,"
              + " next look in %s",
          servedUntil,
          config.certificateCheckEvery());
    }
  }

  /**
   * Without a certificate the webhook cannot serve, so start-up fails (and the pod restarts) if
   * none comes: at once when the operator cannot issue one, after {@code certificate-wait} when
   * waiting for cert-manager.
   */
  private CertificateBundle firstCertificate() {
    Instant deadline = clock.instant().plus(config.certificateWait());
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    while (true) {
      Optional<CertificateBundle> bundle = keeper.reconcile(clock.instant());
      if (bundle.isPresent()) {
        return bundle.get();
      }
      if (!clock.instant().plus(backoff.nextDelay()).isBefore(deadline)) {
        throw new IllegalStateException(
            "No usable webhook certificate in Secret "
                + config.secret()
                + " after "
                + config.certificateWait()
                + " (cairn.operator.webhook.certificate="
                + config.certificate()
                + ")");
      }
      backoff.sleep(() -> true);
    }
  }

  private void serve(CertificateBundle bundle, boolean running) {
    PemTlsConfiguration tls;
    Instant until;
    try {
      tls = PemTlsConfiguration.of(bundle);
      until = ServingCertificate.of(bundle).leaf().getNotAfter().toInstant();
    } catch (InvalidCertificateException e) {
      // The keeper returns only bundles that passed this check.
      throw new IllegalStateException("webhook certificate became unreadable", e);
    }
    registry.register(TLS_NAME, tls);
    served = bundle;
    servedUntil = until;
    if (running) {
      updated.fire(new CertificateUpdatedEvent(TLS_NAME, tls));
      LOG.infof("The webhook now serves a certificate valid until %s", until);
    }
  }
}
