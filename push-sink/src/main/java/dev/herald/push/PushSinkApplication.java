package dev.herald.push;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** push-sink: sends rendered push notifications through Firebase Cloud Messaging. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PushSinkApplication {

    public static void main(String[] args) {
        SpringApplication.run(PushSinkApplication.class, args);
    }
}
