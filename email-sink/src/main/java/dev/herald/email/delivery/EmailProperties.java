package dev.herald.email.delivery;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param from the {@code From} header of every email, e.g. {@code Shop <no-reply@shop.example>}
 * @param messageIdDomain right-hand side of the {@code Message-ID}, which is derived from the notification
 *     id so a redelivered email carries the same id
 */
@Validated
@ConfigurationProperties("herald.email")
public record EmailProperties(
        @NotBlank String from,
        @DefaultValue("herald.localhost") String messageIdDomain) {}
