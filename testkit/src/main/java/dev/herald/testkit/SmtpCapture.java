package dev.herald.testkit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A real SMTP server (GreenMail) that keeps every message it receives, with an HTTP view of them: {@code GET
 * /messages} lists them as JSON, {@code DELETE /messages} empties the box.
 */
public final class SmtpCapture implements AutoCloseable {

    private final GreenMail greenMail;
    private final HttpServer http;

    private SmtpCapture(int smtpPort, int httpPort) {
        // a port fixed now, not GreenMail's dynamic one, so suspend() and resume() keep it
        int port = smtpPort == 0 ? FreePorts.pick() : smtpPort;
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        http = JsonHttp.server(httpPort);
        http.createContext("/messages", this::serve);
        http.start();
    }

    /** Starts SMTP on {@code smtpPort} and the HTTP view on {@code httpPort}; {@code 0} picks a free port. */
    public static SmtpCapture start(int smtpPort, int httpPort) {
        return new SmtpCapture(smtpPort, httpPort);
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /** Base URL of the HTTP view. */
    public String httpUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Messages received so far, oldest first. */
    public List<CapturedEmail> messages() {
        return Arrays.stream(greenMail.getReceivedMessages())
                .map(SmtpCapture::captured)
                .toList();
    }

    /** Stops accepting mail, as an SMTP outage would; {@link #resume()} undoes it. */
    public void suspend() {
        greenMail.stop();
    }

    /** Accepts mail again on the same port after {@link #suspend()}. */
    public void resume() {
        greenMail.start();
    }

    /** Empties the mailbox. */
    public void clear() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            throw new IllegalStateException("cannot purge the SMTP capture", e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> JsonHttp.respond(exchange, 200, messages());
            case "DELETE" -> {
                clear();
                JsonHttp.respond(exchange, 204, null);
            }
            default -> JsonHttp.respond(exchange, 405, null);
        }
    }

    private static CapturedEmail captured(MimeMessage message) {
        try {
            Bodies bodies = new Bodies();
            bodies.collect(message);
            return new CapturedEmail(
                    message.getMessageID(),
                    ((InternetAddress) message.getFrom()[0]).getAddress(),
                    Arrays.stream(message.getAllRecipients())
                            .map(a -> ((InternetAddress) a).getAddress())
                            .toList(),
                    message.getSubject(),
                    bodies.text,
                    bodies.html,
                    message.getReceivedDate() == null
                            ? null
                            : message.getReceivedDate().toInstant());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot read a captured message", e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        greenMail.stop();
    }

    /**
     * A message as received.
     *
     * @param messageId the {@code Message-ID} header
     * @param from sender address
     * @param to recipient addresses
     * @param subject decoded subject
     * @param text the {@code text/plain} part, or {@code null}
     * @param html the {@code text/html} part, or {@code null}
     * @param receivedAt when it arrived, if known
     */
    public record CapturedEmail(
            String messageId,
            String from,
            List<String> to,
            String subject,
            String text,
            String html,
            Instant receivedAt) {}

    /** Walks a MIME tree for its text and HTML bodies. */
    private static final class Bodies {
        String text;
        String html;

        void collect(Part part) throws MessagingException, IOException {
            if (part.isMimeType("text/plain")
                    && text == null
                    && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                text = (String) part.getContent();
            } else if (part.isMimeType("text/html") && html == null) {
                html = (String) part.getContent();
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    collect(child);
                }
            }
        }
    }
}
