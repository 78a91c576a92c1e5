package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The benchmark seeding ({@code --seed-users}, {@code --seed-posts}), small: the users, their follows and posts. */
@SpringBootTest(classes = SocialApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"social.seed.users=30", "social.seed.posts=500"})
@DirtiesContext
class BenchDataTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    BenchData bench;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Databases::h2);
    }

    @Test
    void seedingAddsGeneratedUsersWhoFollowTenOthersAndAliceAndPostsUpToTheCounts() {
        assertThat(count("SELECT COUNT(*) FROM users WHERE username LIKE 'bench%'")).isEqualTo(30);
        assertThat(count("SELECT COUNT(*) FROM posts")).isEqualTo(500);
        long bench1 = jdbc.sql("SELECT id FROM users WHERE username = 'bench1'").query(Long.class).single();
        assertThat(count("SELECT COUNT(*) FROM follows WHERE follower_id = " + bench1)).isEqualTo(11);
        assertThat(count("SELECT COUNT(*) FROM user_permissions WHERE user_id = " + bench1)).isEqualTo(3);

        Api api = new Api(port);
        String token = api.login("bench1");
        assertThat(api.get("/api/realtime/timeline?per_page=100", token).expect(200).get("following_ids")).hasSize(11);

        bench.seed(new SocialProperties.Seed(30, 500)); // a restart with the same flags adds nothing
        assertThat(count("SELECT COUNT(*) FROM users WHERE username LIKE 'bench%'")).isEqualTo(30);
        assertThat(count("SELECT COUNT(*) FROM posts")).isEqualTo(500);
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }
}
