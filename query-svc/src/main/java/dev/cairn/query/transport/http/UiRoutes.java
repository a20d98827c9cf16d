package dev.cairn.query.transport.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Deep links into the web UI ({@code /search?…}, {@code /trace/<id>}, {@code /dependencies}) load
 * the UI's single page, which routes on the client (History API). The UI itself is static, under
 * {@code META-INF/resources/}.
 */
@ApplicationScoped
public class UiRoutes {

  /** The UI's client-side routes; everything else (API, /q, assets) is left alone. */
  static final String UI_PATHS = "/(search|dependencies|trace/[0-9a-fA-F]{1,32})/?";

  void register(@Observes Router router) {
    router.getWithRegex(UI_PATHS).handler(context -> context.reroute("/index.html"));
  }
}
