package dev.herald.template;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** template-api: what Herald says, published to the {@code templates} topic. */
@SpringBootApplication
public class TemplateApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(TemplateApiApplication.class, args);
    }
}
