package dev.herald.email;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** email-sink: sends rendered emails over SMTP and records what happened. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EmailSinkApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmailSinkApplication.class, args);
    }
}
