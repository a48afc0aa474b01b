package dev.herald.email.delivery;

import dev.herald.platform.delivery.DeliveryOutcome;
import dev.herald.schemas.EmailMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends an {@link EmailMessage} through the SMTP server of {@code spring.mail.*} as a multipart message
 * (text and HTML). Its {@code Message-ID} is derived from the notification id. SMTP 5xx replies and
 * malformed addresses are permanent; everything else (connection refused, timeouts, 4xx) is retryable.
 */
@Component
public class SmtpSender {

    private final JavaMailSender mail;
    private final EmailProperties properties;

    SmtpSender(JavaMailSender mail, EmailProperties properties) {
        this.mail = mail;
        this.properties = properties;
    }

    public DeliveryOutcome send(EmailMessage email) {
        String messageId = "<" + email.notificationId() + "@" + properties.messageIdDomain() + ">";
        try {
            MimeMessage message = new FixedIdMimeMessage(mail.createMimeMessage(), messageId);
            boolean multipart = email.html() != null && email.text() != null;
            MimeMessageHelper helper = new MimeMessageHelper(message, multipart, StandardCharsets.UTF_8.name());
            helper.setFrom(InternetAddress.parse(properties.from(), true)[0]);
            helper.setTo(new InternetAddress(email.to(), true));
            helper.setSubject(email.subject());
            if (multipart) {
                helper.setText(email.text(), email.html());
            } else if (email.html() != null) {
                helper.setText(email.html(), true);
            } else {
                helper.setText(email.text(), false);
            }
            mail.send(message);
            return new DeliveryOutcome.Sent(messageId);
        } catch (AddressException e) {
            return new DeliveryOutcome.Permanent("malformed address: " + e.getMessage());
        } catch (MessagingException | MailPreparationException | MailParseException e) {
            return new DeliveryOutcome.Permanent("cannot build the message: " + e.getMessage());
        } catch (MailException e) {
            return classify(e);
        }
    }

    /** SMTP's own verdict decides: 5xx is final, 4xx and no answer at all may pass. */
    static DeliveryOutcome classify(MailException e) {
        if (e instanceof MailAuthenticationException) {
            return new DeliveryOutcome.Retryable("SMTP authentication failed: " + e.getMessage(), e);
        }
        if (e instanceof MailSendException send) {
            for (Exception failure : send.getFailedMessages().values()) {
                int code = smtpCode(failure);
                if (code >= 500) {
                    return new DeliveryOutcome.Permanent(
                            "SMTP " + code + ": " + failure.getMessage().strip());
                }
                if (code >= 400) {
                    return new DeliveryOutcome.Retryable(
                            "SMTP " + code + ": " + failure.getMessage().strip(), e);
                }
            }
        }
        return new DeliveryOutcome.Retryable("SMTP server unavailable: " + e.getMessage(), e);
    }

    private static int smtpCode(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause() != t ? t.getCause() : null) {
            if (t instanceof SMTPAddressFailedException address) {
                return address.getReturnCode();
            }
            if (t instanceof SMTPSendFailedException send) {
                return send.getReturnCode();
            }
            if (t instanceof SendFailedException sendFailed && sendFailed.getNextException() != null) {
                int nested = smtpCode(sendFailed.getNextException());
                if (nested > 0) {
                    return nested;
                }
            }
        }
        return -1;
    }

    /** A message whose {@code Message-ID} is chosen by Herald rather than generated on send. */
    private static final class FixedIdMimeMessage extends MimeMessage {
        private final String messageId;

        FixedIdMimeMessage(MimeMessage template, String messageId) {
            super((Session) template.getSession());
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
