/* A static HTTP/1.1 server for benches/c_call.sh: answers every request, on any path, with the
 * body of the file it is given (a realistic ListSubCustomers answer) and keeps the connection
 * open. Listens on 127.0.0.1 (port 0: any), prints the port, exits when stdin closes. One thread
 * per connection; requests are read whole (headers and Content-Length body) before answering. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char *answer;
static size_t answer_len;

static void *serve(void *arg) {
    int fd = (int)(intptr_t)arg, one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[65536];
    size_t n = 0;
    for (;;) {
        char *end;
        while (!(end = memmem(buf, n, "\r\n\r\n", 4))) {
            if (n == sizeof buf) goto done;
            ssize_t r = read(fd, buf + n, sizeof buf - n);
            if (r <= 0) goto done;
            n += (size_t)r;
        }
        size_t head = (size_t)(end + 4 - buf), body = 0;
        for (char *p = buf; p < end; p++)
            if (strncasecmp(p, "\ncontent-length:", 16) == 0) body = strtoul(p + 16, NULL, 10);
        if (head + body > sizeof buf) goto done;
        while (n < head + body) {
            ssize_t r = read(fd, buf + n, sizeof buf - n);
            if (r <= 0) goto done;
            n += (size_t)r;
        }
        if (write(fd, answer, answer_len) != (ssize_t)answer_len) goto done;
        memmove(buf, buf + head + body, n - head - body);
        n -= head + body;
    }
done:
    close(fd);
    return NULL;
}

static void *accept_loop(void *arg) {
    int lfd = (int)(intptr_t)arg;
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) continue;
        pthread_t t;
        pthread_create(&t, NULL, serve, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: static_server BODY.json\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 2;
    char body[1 << 16];
    size_t len = fread(body, 1, sizeof body, f);
    fclose(f);
    answer_len = (size_t)asprintf(&answer,
                                  "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
                                  "X-Request-Id: 0b5c1e7a9f3d4e2c8a6b4d2f0e1c3a5b\r\nContent-Length: %zu\r\n\r\n%.*s",
                                  len, (int)len, body);
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 64)) return 1;
    getsockname(lfd, (struct sockaddr *)&a, &alen);
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, accept_loop, (void *)(intptr_t)lfd);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    return 0;
}
