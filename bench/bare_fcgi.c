/* bare_fcgi.c: the smallest libfcgi responder, the baseline bench/run compares waportal-fcgi with. */
#include <fcgiapp.h>

int
main(void)
{
	FCGX_Request	 req;

	if (FCGX_Init() != 0)
		return 1;
	FCGX_InitRequest(&req, 0, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		/* The same answer as GET /healthz. */
		FCGX_PutS("Status: 200 OK\r\n"
		    "Content-Type: application/json\r\n"
		    "Cache-Control: no-store\r\n"
		    "Content-Length: 15\r\n"
		    "\r\n"
		    "{\"status\":\"ok\"}", req.out);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return 0;
}
