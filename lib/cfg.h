/*
 * cfg: every configuration key in one table (cfg.c).
 *
 * Values come from, in increasing priority: the built-in default, an env
 * file (systemd EnvironmentFile syntax: KEY=value, # comments, optional
 * quotes), and the process environment.  cfg_load() fills the global
 * "cfg"; values are owned by the cfg module and freed by cfg_free().
 */
#ifndef CFG_H
#define CFG_H

#include <stddef.h>
#include <stdio.h>

struct cfg {
	/* deployment; env is CONNECTIFY_ENV: development|production */
	const char	*env;
	const char	*secret_key;	/* SECRET_KEY: JWT and OTP HMAC key */
	const char	*secret_key_file; /* SECRET_KEY_FILE (development) */
	const char	*log_level;	/* LOG_LEVEL */
	const char	*log_format;	/* LOG_FORMAT: text|json */
	/* database */
	const char	*database_url;	/* DATABASE_URL: conninfo or URI */
	const char	*db_name, *db_user, *db_password, *db_host, *db_port;
	/* processes */
	long		 fcgi_workers;	/* FCGI_WORKERS */
	const char	*fcgi_socket;	/* FCGI_SOCKET */
	const char	*fcgi_socket_group; /* FCGI_SOCKET_GROUP */
	const char	*fcgi_pm;	/* FCGI_PM: static|dynamic|ondemand */
	long		 fcgi_start;	/* FCGI_START */
	long		 fcgi_min_spare; /* FCGI_MIN_SPARE */
	long		 fcgi_max_spare; /* FCGI_MAX_SPARE */
	long		 fcgi_idle_s;	/* FCGI_IDLE_SECONDS */
	long		 fcgi_backlog;	/* FCGI_BACKLOG: listen queue */
	long		 app_hosts;	/* APP_HOSTS: hosts sharing the data */
	long		 worker_concurrency; /* WORKER_CONCURRENCY */
	long		 worker_drain_s; /* WORKER_DRAIN_SECONDS */
	const char	*worker_pm;	/* WORKER_PM: static|dynamic */
	long		 worker_min;	/* WORKER_MIN */
	long		 worker_idle_s;	/* WORKER_IDLE_SECONDS */
	long		 max_body_bytes; /* MAX_BODY_BYTES */
	/* auth */
	long		 access_ttl;	/* ACCESS_TOKEN_TTL seconds */
	long		 refresh_ttl;	/* REFRESH_TOKEN_TTL seconds */
	long		 otp_ttl;	/* OTP_TTL seconds */
	long		 otp_max_attempts; /* OTP_MAX_ATTEMPTS */
	long		 otp_rate_phone; /* OTP_RATE_PHONE per 15 min */
	long		 otp_rate_ip;	/* OTP_RATE_IP per 15 min */
	long		 signup_rate_ip;	/* SIGNUP_RATE_IP per 15 min */
	int		 staff_signup_open; /* STAFF_SIGNUP_OPEN */
	/* real time */
	const char	*nchan_socket;	/* NCHAN_PUB_SOCKET */
	const char	*nchan_url;	/* NCHAN_PUB_URL */
	/* sms */
	const char	*sms_backend;	/* SMS_BACKEND: log|twilio */
	const char	*sms_log;	/* SMS_LOG */
	const char	*twilio_base_url, *twilio_account_sid,
			*twilio_auth_token, *twilio_api_key,
			*twilio_api_secret, *twilio_from,
			*twilio_messaging_service_sid;
	/* storage */
	const char	*storage_backend; /* STORAGE_BACKEND: local|s3 */
	const char	*storage_dir;	/* STORAGE_DIR */
	int		 storage_shared; /* STORAGE_SHARED: hosts share it */
	const char	*aws_access_key_id, *aws_secret_access_key,
			*aws_region, *aws_s3_bucket_name, *aws_s3_endpoint;
	int		 aws_s3_path_style; /* AWS_S3_PATH_STYLE */
	long		 presign_ttl;	/* PRESIGN_TTL */
	long		 cache_ttl;	/* CACHE_TTL */
	long		 resume_max_bytes; /* RESUME_MAX_BYTES */
	long		 pdf_cpu_s;	/* PDF_CPU_SECONDS */
	long		 pdf_mem_mb;	/* PDF_MEMORY_MB */
	long		 pdf_wall_ms;	/* PDF_WALL_MS */
	/* scoring */
	const char	*ats_provider;	/* ATS_PROVIDER: builtin|openai */
	const char	*openai_api_key, *openai_base_url, *openai_model;
	/* mail */
	const char	*mail_backend;	/* MAIL_BACKEND: smtp|file */
	const char	*mail_dir;	/* MAIL_DIR */
	const char	*mail_from;	/* MAIL_FROM */
	const char	*smtp_host, *smtp_user, *smtp_password;
	long		 smtp_port;
	const char	*smtp_tls;	/* SMTP_TLS: none|starttls|tls */
	const char	*template_dir;	/* TEMPLATE_DIR */
	const char	*skills_file;	/* SKILLS_FILE: the skills taxonomy */
	const char	*frontend_url;	/* FRONTEND_URL */
	const char	*public_url;	/* PUBLIC_URL: the API's own base */
	long		 mail_repeat_window; /* MAIL_REPEAT_WINDOW, seconds */
	/* video */
	const char	*zoom_sdk_client_id, *zoom_sdk_client_secret,
			*zoom_client_id, *zoom_client_secret, *zoom_account_id;
	const char	*turn_provider;	/* TURN_PROVIDER: coturn|twilio */
	const char	*turn_secret, *turn_urls;
	long		 turn_limit, turn_expiry;
	/* jobs */
	long		 job_poll_ms;	/* JOB_POLL_MS */
	long		 job_lease_s;	/* JOB_LEASE_S */
	long		 job_batch;	/* JOB_BATCH */
	long		 job_retention_h; /* JOB_RETENTION_HOURS */
	long		 job_discarded_retention_h; /* ..._RETENTION_HOURS */
	/* candidates' rights and HR's data */
	int		 webhook_allow_private; /* WEBHOOK_ALLOW_PRIVATE */
	long		 webhook_timeout_ms; /* WEBHOOK_TIMEOUT_MS */
	long		 webhook_connect_ms; /* WEBHOOK_CONNECT_TIMEOUT_MS */
	long		 consent_days;	/* CONSENT_DAYS */
	long		 retention_days; /* RETENTION_DAYS */
	long		 retention_interval_s; /* RETENTION_INTERVAL_S */
};

extern struct cfg cfg;

/*
 * Load the configuration: defaults, then envfile (if not NULL and it
 * exists), then the environment.  Returns 0, or -1 with a reason in err
 * (a value of the wrong type, or a production-mode refusal).
 */
int	cfg_load(const char *envfile, char *err, size_t errsz)
	    __attribute__((warn_unused_result));
void	cfg_free(void);
/* Load again (SIGHUP) and apply LOG_LEVEL; on failure the old
 * configuration stays and the reason is logged.  0 or -1. */
int	cfg_reload(const char *envfile);
/* Build the libpq conninfo from DATABASE_URL or DB_*; caller frees. */
char	*cfg_conninfo(void);
/* Nonzero when CONNECTIFY_ENV=production. */
int	cfg_production(void);
/* Print every key, its default and meaning (for --help-config). */
void	cfg_usage(void);
/* Write a sample env file: every key commented out at its default. */
void	cfg_sample(FILE *);

#endif /* CFG_H */
