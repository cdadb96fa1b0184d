/*
 * Hiring decisions: helpers shared by their handlers (h_rubrics.c
 * defines these; h_scorecards.c).
 */
#ifndef DECISIONS_H
#define DECISIONS_H

#include <json-c/json.h>

struct req;
struct reply;

/* The caller owns the round's event: the event, or 0 after a 4xx. */
long	rubric_owner(struct req *, struct reply *, long round);
/* A field's check() for a list of objects (name's value): each item must
 * be an object; item_check records its members' messages, which land in
 * errs under "name[i].member". */
void	rubric_items_check(const char *name, struct json_object *list,
	    struct json_object *errs,
	    void (*item_check)(struct json_object *, struct json_object *));

#endif /* DECISIONS_H */
