package dev.herald.enrich;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** enrich-stream: the Kafka Streams topology that turns requests into rendered messages, and status queries. */
@SpringBootApplication
public class EnrichStreamApplication {

    public static void main(String[] args) {
        SpringApplication.run(EnrichStreamApplication.class, args);
    }
}
