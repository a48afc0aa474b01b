package dev.herald.push.fcm;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FcmConfiguration {

    private static final String FCM = "https://fcm.googleapis.com";

    @Bean(destroyMethod = "delete")
    FirebaseApp firebaseApp(FcmProperties properties) throws IOException {
        FirebaseOptions options = FirebaseOptions.builder()
                .setProjectId(properties.projectId())
                .setCredentials(credentials(properties))
                .setHttpTransport(transport(properties.endpoint()))
                .setConnectTimeout((int) properties.timeout().toMillis())
                .setReadTimeout((int) properties.timeout().toMillis())
                .build();
        // a unique name: several application contexts may share a JVM (tests)
        return FirebaseApp.initializeApp(options, "herald-push-" + UUID.randomUUID());
    }

    @Bean
    FirebaseMessaging firebaseMessaging(FirebaseApp app) {
        return FirebaseMessaging.getInstance(app);
    }

    private static GoogleCredentials credentials(FcmProperties properties) throws IOException {
        if (properties.accessToken() != null && !properties.accessToken().isBlank()) {
            return GoogleCredentials.create(new AccessToken(properties.accessToken(), null));
        }
        if (properties.credentialsFile() != null) {
            try (InputStream in = Files.newInputStream(properties.credentialsFile())) {
                return GoogleCredentials.fromStream(in);
            }
        }
        return GoogleCredentials.getApplicationDefault();
    }

    /**
     * firebase-admin always calls {@value #FCM}; this transport sends those calls to {@code endpoint} instead,
     * so a local stand-in can play FCM.
     */
    static HttpTransport transport(URI endpoint) {
        String base = endpoint.toString().replaceAll("/+$", "");
        if (base.equals(FCM)) {
            return new NetHttpTransport();
        }
        return new NetHttpTransport.Builder()
                .setConnectionFactory(
                        url -> (HttpURLConnection) redirect(url, base).openConnection())
                .build();
    }

    private static URL redirect(URL url, String base) throws IOException {
        String target = url.toString();
        return target.startsWith(FCM)
                ? URI.create(base + target.substring(FCM.length())).toURL()
                : url;
    }
}
