package dev.cairn.operator.webhook.certificate;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text to and from JCA certificates and keys. Keys are read in any of the usual encodings
 * (PKCS#8, PKCS#1 RSA, SEC1 EC: cert-manager and openssl write them all) and written as PKCS#8,
 * which every TLS stack reads.
 */
public final class Pem {
  private Pem() {}

  /** Every certificate in the text, in order. */
  public static List<X509Certificate> certificates(String pem) throws InvalidCertificateException {
    List<X509Certificate> found = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (!(o instanceof X509CertificateHolder holder)) {
          throw new InvalidCertificateException(
              "not a certificate: " + o.getClass().getSimpleName());
        }
        found.add(new JcaX509CertificateConverter().getCertificate(holder));
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new InvalidCertificateException("unreadable certificate: " + e.getMessage());
    }
    if (found.isEmpty()) {
      throw new InvalidCertificateException("no certificate");
    }
    return found;
  }

  /** The one private key in the text. */
  public static PrivateKey privateKey(String pem) throws InvalidCertificateException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new InvalidCertificateException(
          o == null ? "no private key" : "not a private key: " + o.getClass().getSimpleName());
    } catch (IOException | RuntimeException e) {
      throw new InvalidCertificateException("unreadable private key: " + e.getMessage());
    }
  }

  public static String write(X509Certificate certificate) {
    return writeObject(certificate);
  }

  /** As PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  public static String write(PrivateKey key) {
    try {
      return writeObject(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String writeObject(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
