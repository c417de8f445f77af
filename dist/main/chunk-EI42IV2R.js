import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
var e="--refresh-helper",r="x-refresh-helper-stop",t="alibabacloud-credentials-";export{e as a,r as b,t as c};
