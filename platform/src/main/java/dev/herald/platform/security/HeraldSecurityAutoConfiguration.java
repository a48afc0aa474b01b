package dev.herald.platform.security;

import dev.herald.platform.web.Problems;
import dev.herald.platform.web.WebAutoConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import reactor.core.publisher.Mono;

/**
 * Every endpoint needs a bearer JWT, except health, metrics and API docs. Scopes in the token's {@code
 * scope} claim become {@code SCOPE_…} authorities, checked per endpoint with {@code @PreAuthorize}, and before the
 * body is read by the filter chain ({@link ScopeRules}). 401 and 403 are problem details.
 */
@AutoConfiguration(after = WebAutoConfiguration.class)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
@EnableConfigurationProperties(HeraldSecurityProperties.class)
public class HeraldSecurityAutoConfiguration {

    private static final String[] PUBLIC_PATHS = {
        "/actuator/health",
        "/actuator/health/**",
        "/actuator/info",
        "/actuator/prometheus",
        "/v3/api-docs",
        "/v3/api-docs/**",
        "/v3/api-docs.yaml",
        "/swagger-ui.html",
        "/swagger-ui/**",
        "/webjars/**"
    };

    private static final Logger log = LoggerFactory.getLogger(HeraldSecurityAutoConfiguration.class);

    @Bean
    SecurityWebFilterChain heraldSecurityFilterChain(
            ServerHttpSecurity http,
            Problems problems,
            ObjectProvider<ReactiveJwtDecoder> decoders,
            ObjectProvider<RequestMappingHandlerMapping> mappings,
            HeraldSecurityProperties properties) {
        ReactiveJwtDecoder decoder = new CachingJwtDecoder(
                decoders.getIfAvailable(HeraldSecurityAutoConfiguration::refuseEveryToken), Clock.systemUTC());
        ServerAuthenticationEntryPoint unauthenticated = (exchange, ex) -> {
            // a token that does not verify, has expired or is malformed
            boolean invalid = ex instanceof OAuth2AuthenticationException oauth
                    && BearerTokenErrorCodes.INVALID_TOKEN.equals(
                            oauth.getError().getErrorCode());
            String challenge = invalid ? "Bearer error=\"invalid_token\"" : "Bearer";
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
            return problems.write(
                    exchange,
                    Problems.of(
                            HttpStatus.UNAUTHORIZED,
                            invalid ? "The bearer token is invalid or has expired." : "A bearer token is required."));
        };
        ServerAccessDeniedHandler forbidden = (exchange, ex) -> {
            exchange.getResponse()
                    .getHeaders()
                    .set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
            return problems.write(
                    exchange,
                    Problems.of(HttpStatus.FORBIDDEN, "The bearer token lacks the scope this operation needs."));
        };
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // stateless: each request carries its token, so no session is looked up or created
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers(PUBLIC_PATHS).permitAll();
                    if (!properties.publicPaths().isEmpty()) {
                        exchanges
                                .pathMatchers(properties.publicPaths().toArray(String[]::new))
                                .permitAll();
                    }
                    exchanges.anyExchange().access(new ScopeRules(mappings));
                })
                .oauth2ResourceServer(oauth -> oauth.bearerTokenConverter(new BearerTokenConverter())
                        .jwt(jwt -> jwt.jwtDecoder(decoder))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(handling ->
                        handling.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
                .build();
    }

    /**
     * No observation per security filter, authentication and authorization: on every request they cost a tenth of
     * ingest-api's CPU, and turning them off by property still leaves their wrappers running. HTTP server metrics
     * and the other observations stay.
     */
    @Bean
    @ConditionalOnMissingBean
    static SecurityObservationSettings heraldSecurityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Requests whose URL Spring Security's firewall refuses (encoded {@code %}, {@code /} or {@code ;}, and the
     * like) get a problem detail too.
     */
    @Bean
    ServerExchangeRejectedHandler problemForRejectedExchange(Problems problems) {
        return (exchange, ex) -> problems.write(
                exchange, Problems.of(HttpStatus.BAD_REQUEST, "The request URL is not allowed: " + ex.getMessage()));
    }

    /** Without a way to verify tokens, nothing but the public endpoints can be reached: secure by default. */
    private static ReactiveJwtDecoder refuseEveryToken() {
        log.warn("No JWT verification is configured (herald.security.jwt.hmac-secret or "
                + "spring.security.oauth2.resourceserver.jwt.jwk-set-uri): every API endpoint answers 401");
        return token -> Mono.error(new BadJwtException("no JWT verification is configured"));
    }

    @Bean
    @ConditionalOnProperty("herald.security.jwt.hmac-secret")
    ReactiveJwtDecoder hmacJwtDecoder(HeraldSecurityProperties properties) {
        byte[] secret = properties.jwt().hmacSecret().getBytes(StandardCharsets.UTF_8);
        return NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
    }
}
