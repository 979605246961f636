console.log("static {{ not rendered }}");
