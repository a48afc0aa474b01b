package dev.herald.user;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** user-api: everything Herald knows about a recipient, published to the {@code users} topic. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class UserApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(UserApiApplication.class, args);
    }
}
