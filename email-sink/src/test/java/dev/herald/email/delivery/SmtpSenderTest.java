package dev.herald.email.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.delivery.DeliveryOutcome;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;

class SmtpSenderTest {

    @Test
    void aRejectedRecipientIsPermanent() throws Exception {
        SMTPAddressFailedException rejected = new SMTPAddressFailedException(
                new InternetAddress("gone@example.com"), "RCPT TO", 550, "5.1.1 mailbox unavailable");
        SendFailedException sendFailed = new SendFailedException("Invalid Addresses", rejected);

        DeliveryOutcome outcome = SmtpSender.classify(new MailSendException(Map.of(new Object(), sendFailed)));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Permanent.class,
                        p -> assertThat(p.reason()).isEqualTo("SMTP 550: Invalid Addresses"));
    }

    @Test
    void aTemporaryRejectionIsRetryable() throws Exception {
        SMTPAddressFailedException greylisted = new SMTPAddressFailedException(
                new InternetAddress("busy@example.com"), "RCPT TO", 451, "4.7.1 try again later");

        assertThat(SmtpSender.classify(new MailSendException(Map.of(new Object(), greylisted))))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.reason()).startsWith("SMTP 451"));
    }

    @Test
    void noAnswerFromTheServerIsRetryable() {
        MailSendException refused =
                new MailSendException("Mail server connection failed", new MessagingException("Connection refused"));

        assertThat(SmtpSender.classify(refused))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.reason()).startsWith("SMTP server unavailable"));
    }
}
