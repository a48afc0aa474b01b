package dev.herald.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import reactor.core.publisher.Mono;

class BearerTokenConverterTest {

    private final ServerAuthenticationConverter herald = new BearerTokenConverter();
    private final ServerAuthenticationConverter spring = new ServerBearerTokenAuthenticationConverter();

    @Test
    void readsTheTokenOfABearerHeaderInAnyCase() {
        assertThat(outcome(herald, "Bearer abc.DEF-123_~+/==")).isEqualTo("token abc.DEF-123_~+/==");
        assertThat(outcome(herald, "bEaReR abc")).isEqualTo("token abc");
    }

    @Test
    void noHeaderOrAnotherSchemeIsNoTokenAndAMalformedOneIsInvalid() {
        assertThat(outcome(herald, null)).isEqualTo("none");
        assertThat(outcome(herald, "Basic dXNlcjpwYXNz")).isEqualTo("none");
        assertThat(outcome(herald, "Bearer abc def")).isEqualTo("error invalid_token: Bearer token is malformed");
        assertThat(outcome(herald, "Bearer ")).isEqualTo("error invalid_token: Bearer token is malformed");
    }

    @Test
    void answersAsSpringSecuritysConverterDoesForEveryHeader() {
        List<String> headers = new ArrayList<>(List.of(
                "Bearer",
                "Bearer ",
                "Bearer  abc",
                "Bearer\tabc",
                "Bearerabc",
                "Bearer abc=",
                "Bearer abc==",
                "Bearer abc=d",
                "Bearer =",
                "Bearer abc\n",
                "Bearer abc ",
                "Bearer é",
                "BEARER abc",
                "Bear abc",
                "Token abc",
                ""));
        Random random = new Random(7);
        String alphabet = "aZ09-._~+/= \t\néB";
        for (int i = 0; i < 2000; i++) {
            StringBuilder header = new StringBuilder(random.nextBoolean() ? "Bearer" : "bearer");
            for (int n = random.nextInt(8); n > 0; n--) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(header.toString());
        }
        for (String header : headers) {
            assertThat(outcome(herald, header)).as(header).isEqualTo(outcome(spring, header));
        }
    }

    private static String outcome(ServerAuthenticationConverter converter, String authorization) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/v1/anything");
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return converter
                .convert(MockServerWebExchange.from(request))
                .map(BearerTokenConverterTest::describe)
                .onErrorResume(
                        OAuth2AuthenticationException.class,
                        e -> Mono.just("error " + e.getError().getErrorCode() + ": "
                                + e.getError().getDescription()))
                .defaultIfEmpty("none")
                .block();
    }

    private static String describe(Authentication authentication) {
        return "token " + ((BearerTokenAuthenticationToken) authentication).getToken();
    }
}
